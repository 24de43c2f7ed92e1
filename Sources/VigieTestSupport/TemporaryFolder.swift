import Foundation

/// A scratch folder under `$TMPDIR` for one test: files are written by name (byte for
/// byte), commands run in it, and `remove()` deletes it with everything inside
/// (SQLite's `-wal` and `-shm` files included).
package struct TemporaryFolder: Sendable {
    package let url: URL

    /// Creates `$TMPDIR/<prefix>-<UUID>`.
    package init(prefix: String = "vigie-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` in the folder (the file need not exist).
    package func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` as UTF-8 to `name` (subfolders are created); returns its URL.
    @discardableResult
    package func write(_ name: String, _ text: String) throws -> URL {
        try write(name, bytes: Data(text.utf8))
    }

    @discardableResult
    package func write(_ name: String, bytes: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: file)
        return file
    }

    /// Runs the built `vigie` with this folder as its working directory.
    package func vigie(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try CommandRunner.vigie(arguments, in: url, environment: environment)
    }

    package func remove() { try? FileManager.default.removeItem(at: url) }
}
