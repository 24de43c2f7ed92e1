import Foundation

/// A sign-in started but not finished (`vigie login` printed the URL; the code comes in a
/// later run): its state and PKCE verifier, kept in a JSON file readable by its owner only,
/// next to the token store. Finishing or abandoning the sign-in deletes it.
public struct OAuthAuthorizationFile: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// The pending sign-in's file for a token store: `<token store>.login`.
    public init(tokenStore: URL) {
        self.init(url: tokenStore.deletingLastPathComponent().appendingPathComponent(tokenStore.lastPathComponent + ".login"))
    }

    public func load() throws -> OAuthAuthorization? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(OAuthAuthorization.self, from: Data(contentsOf: url))
        } catch {
            throw StellantisAPIError.authentication("pending sign-in file \(url.path) is unreadable: \(type(of: error))")
        }
    }

    public func save(_ authorization: OAuthAuthorization) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try FileTokenStore.writePrivately(try encoder.encode(authorization), to: url)
    }

    /// Deletes the file; false when there was none.
    @discardableResult
    public func delete() -> Bool {
        (try? FileManager.default.removeItem(at: url)) != nil
    }
}
