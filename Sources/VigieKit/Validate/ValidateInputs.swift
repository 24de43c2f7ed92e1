import Foundation
import RuleLanguage

/// Finds and reads the rule files `vigie validate PATH…` names: files as given,
/// folders searched recursively for `*.yaml` / `*.yml` (hidden entries skipped),
/// each folder's files sorted by path. Paths stay as the user wrote them, so
/// diagnostics and goldens never carry absolute paths.
package enum ValidateInputs {
    package enum Failure: Error, Equatable, CustomStringConvertible {
        /// A usage error (exit 64): no path, or a path that does not exist.
        case usage(String)
        /// An I/O error (exit 1): a folder without rule files, an unreadable file.
        case io(String)

        package var description: String {
            switch self {
            case .usage(let m), .io(let m): return m
            }
        }
    }

    /// The rule file paths named by `paths`, in order, each once.
    package static func collect(_ paths: [String], in directory: URL) throws -> [String] {
        guard !paths.isEmpty else { throw Failure.usage("no path given (expected rule files or folders)") }
        var seen = Set<String>(), out: [String] = []
        for path in paths {
            let url = resolve(path, in: directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw Failure.usage("no such file or directory: \(path)")
            }
            let found = isDirectory.boolValue ? try ruleFiles(under: path, url: url) : [path]
            for file in found where seen.insert(file).inserted { out.append(file) }
        }
        return out
    }

    /// Reads each file; text longer than the size limit is cut just past it (the
    /// loader then refuses it with `file-too-large` without the rest being read).
    /// A file that is not UTF-8 is returned in `invalid`.
    package static func read(_ paths: [String], in directory: URL) throws -> (files: [SourceFile], invalid: [String]) {
        var files: [SourceFile] = [], invalid: [String] = []
        for path in paths {
            guard let handle = FileHandle(forReadingAtPath: resolve(path, in: directory).path) else {
                throw Failure.io("cannot read \(path)")
            }
            defer { try? handle.close() }
            let data: Data
            do { data = try handle.read(upToCount: RuleLimits.maxFileBytes + 1) ?? Data() } catch {
                throw Failure.io("cannot read \(path): \(error.localizedDescription)")
            }
            if let text = String(data: data, encoding: .utf8) {
                files.append(SourceFile(path: path, text: text))
            } else if data.count > RuleLimits.maxFileBytes {
                // Cut inside a multi-byte character: the file is refused for its size anyway.
                files.append(SourceFile(path: path, text: String(decoding: data, as: UTF8.self)))
            } else {
                invalid.append(path)
            }
        }
        return (files, invalid)
    }

    static func resolve(_ path: String, in directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }

    private static func ruleFiles(under path: String, url: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw Failure.io("cannot read folder \(path)")
        }
        let base = url.standardizedFileURL.path
        var relative: [String] = []
        for case let file as URL in walker where ["yaml", "yml"].contains(file.pathExtension) {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let full = file.standardizedFileURL.path
            guard full.hasPrefix(base + "/") else { continue }
            relative.append(String(full.dropFirst(base.count + 1)))
        }
        guard !relative.isEmpty else { throw Failure.io("no rule files (*.yaml, *.yml) under \(path)") }
        let prefix = path == "." || path == "./" ? "" : (path.hasSuffix("/") ? path : path + "/")
        return relative.sorted { $0.split(separator: "/").lexicographicallyPrecedes($1.split(separator: "/")) }
            .map { prefix + $0 }
    }
}
