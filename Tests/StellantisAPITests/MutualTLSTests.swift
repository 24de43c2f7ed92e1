import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import StellantisAPI
import StellantisModels
import XCTest

/// Mutual TLS from PEM files, against a loopback TLS server that demands a client certificate.
final class MutualTLSTests: XCTestCase {
    /// Answers every request with a user body.
    final class UserHandler: ChannelInboundHandler, Sendable {  // no state
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let body = ByteBuffer(string: #"{"email":"tls@example.com","_links":{"self":{"href":"/user"}}}"#)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: "\(body.readableBytes)")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    var folder: URL!

    override func setUpWithError() throws {
        // openssl is part of the machine (.ci/run installs it when it is missing): its
        // absence fails the test.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            XCTFail("openssl is needed to make test certificates (/usr/bin/openssl)")
            throw CocoaError(.fileNoSuchFile)
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-mtls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try makeCertificate("server", subject: "/CN=localhost", extra: ["-addext", "subjectAltName=IP:127.0.0.1"])
        try makeCertificate("client", subject: "/CN=vigie-client")
        try makeCertificate("stranger", subject: "/CN=stranger")
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    func makeCertificate(_ name: String, subject: String, extra: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", subject,
                             "-keyout", path("\(name).key"), "-out", path("\(name).pem")] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "openssl \(name)")
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A TLS server trusting only `client.pem` as a client certificate.
    func startServer() async throws -> Channel {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(path("server.pem")).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: path("server.key"), format: .pem)))
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path("client.pem")))
        let context = try NIOSSLContext(configuration: tls)
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(UserHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func user(_ server: Channel, clientCertificate name: String) async throws -> User {
        let client = try StellantisClient(configuration: ClientConfiguration(
            baseURL: URL(string: "https://127.0.0.1:\(server.localAddress!.port!)/connectedcar/v4")!, clientID: "c",
            authentication: .none, mutualTLS: MutualTLSFiles(certificatePath: path("\(name).pem"),
                                                             privateKeyPath: path("\(name).key"),
                                                             trustRootsPath: path("server.pem")),
            requestTimeout: 5, retry: .none))
        do {
            let user = try await B2CClient(client: client).user()
            try await client.shutdown()
            return user
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    func testTheClientPresentsItsCertificate() async throws {
        let server = try await startServer()
        let user = try await user(server, clientCertificate: "client")
        XCTAssertEqual(user.email, "tls@example.com")
        try await server.close()
    }

    func testAnUntrustedClientCertificateIsRefused() async throws {
        let server = try await startServer()
        do {
            _ = try await user(server, clientCertificate: "stranger")
            XCTFail("the server must refuse an unknown client certificate")
        } catch let error as StellantisAPIError {
            switch error {
            case .transport, .deadlineExceeded: break
            default: XCTFail("\(error)")
            }
        }
        try await server.close()
    }
}
