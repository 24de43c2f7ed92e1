import Foundation
import VigieRuntime

/// `vigie validate --config FILE`: the channel names of the configuration's
/// `notifications.channels`, read without its secrets (a CI job validating rules has no
/// tokens), so that rules naming another channel are errors.
enum ValidateChannels {
    struct Failure: Error {
        var message: String
        var exitCode: Int32
    }

    static func read(_ path: String, in directory: URL) -> Result<[String], Failure> {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            return .failure(Failure(message: "no such configuration file: \(path)", exitCode: Validate.usageExit))
        }
        do {
            return .success(try VigieConfig.channelNames(path: url.path))
        } catch {
            return .failure(Failure(message: "\(error)", exitCode: 1))
        }
    }
}
