import Foundation
import Logging
import VigieRuntime

/// Applies the configuration's rules to the API the way `vigie apply` does, and says
/// what it did.
enum DemoDeploy {
    struct Result: Sendable {
        var callbackID: String
        var summary: String
    }

    static func apply(config: VigieConfig, client: VigieAPIClient, logger: Logger) async throws -> Result {
        throw DemoError("vigie apply is not available yet")
    }
}

/// A demo step that failed, in words.
struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
