import Foundation

/// Keeps tokens in a JSON file readable by its owner only (mode 0600). Saving writes a
/// temporary file with 0600 in the same folder, then renames it over the old one, so
/// the file is never half written nor, even briefly, readable by others.
public struct FileTokenStore: TokenStore {
    public let url: URL

    public init(url: URL) { self.url = url }

    public func load() throws -> StoredTokens? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(StoredTokens.self, from: Data(contentsOf: url))
        } catch {
            throw StellantisAPIError.authentication("token file \(url.path) is unreadable: \(type(of: error))")
        }
    }

    public func save(_ tokens: StoredTokens) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try Self.writePrivately(try encoder.encode(tokens), to: url)
    }

    /// Deletes the token file (sign-out); false when there was none.
    @discardableResult
    public func delete() throws -> Bool {
        guard FileManager.default.fileExists(atPath: url.path) else { return false }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw StellantisAPIError.authentication("cannot delete the token file \(url.path): \(type(of: error))")
        }
        return true
    }

    /// Writes `data` to `url` readable by its owner only (0600), atomically: a temporary
    /// file in the same folder, created 0600, synced, then renamed over `url`.
    public static func writePrivately(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil,
                                             attributes: [.posixPermissions: 0o600]) else {
            throw StellantisAPIError.authentication("cannot write \(url.lastPathComponent) in \(folder.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
            if rename(temporary.path, url.path) != 0 {
                throw StellantisAPIError.authentication("cannot replace \(url.path) (errno \(errno))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
