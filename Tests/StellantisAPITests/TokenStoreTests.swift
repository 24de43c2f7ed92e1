import Foundation
import StellantisAPI
import XCTest

final class TokenStoreTests: XCTestCase {
    func testTheFileStoreKeepsTokensReadableByItsOwnerOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-tokens-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = FileTokenStore(url: folder.appendingPathComponent("session.json"))
        XCTAssertNil(try store.load())
        let first = StoredTokens(accessToken: "a1", refreshToken: "r1", expiresAt: Date(timeIntervalSince1970: 1_800_000_000))
        try store.save(first)
        XCTAssertEqual(try store.load(), first)
        let mode = try FileManager.default.attributesOfItem(atPath: store.url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let second = StoredTokens(accessToken: "a2", refreshToken: "r2", expiresAt: Date(timeIntervalSince1970: 1_800_003_600))
        try store.save(second)
        XCTAssertEqual(try store.load(), second)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["session.json"], "no temporary left")
        let mode2 = try FileManager.default.attributesOfItem(atPath: store.url.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode2, 0o600)
    }

    func testAnUnreadableTokenFileIsAnAuthenticationError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("not json".utf8).write(to: url)
        XCTAssertThrowsError(try FileTokenStore(url: url).load()) { error in
            guard case StellantisAPIError.authentication(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains(url.lastPathComponent), text)
        }
    }

    func testMissingCertificateFilesAreAConfigurationError() {
        let configuration = ClientConfiguration(
            baseURL: ClientConfiguration.productionB2C, clientID: "c", authentication: .none,
            mutualTLS: MutualTLSFiles(certificatePath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem"))
        XCTAssertThrowsError(try StellantisClient(configuration: configuration)) { error in
            guard case StellantisAPIError.configuration(let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains("/nonexistent/cert.pem"), text)
        }
    }
}
