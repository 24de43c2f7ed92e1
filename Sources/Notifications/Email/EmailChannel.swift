import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// E-mail over SMTP, on SwiftNIO + NIOSSL in the shape of swift-nio-examples' NIOSMTP (a
/// pipeline of a reply decoder, a request encoder and a `SendEmailHandler` state machine):
/// `smtps://` speaks TLS from the first byte, `smtp://` upgrades with STARTTLS (required);
/// certificates are verified (against `trust_roots` when given). One session per delivery.
///
/// Results: the `250` after the message is delivered; a 4xx reply, a time-out or a lost
/// connection is retryable; a 5xx reply (a refused login, an unknown recipient), a missing
/// STARTTLS or AUTH mechanism, or a TLS failure (certificate, protocol) is failed.
package struct EmailChannel: NotificationChannel {
    package let name: String
    let settings: ChannelSettings.Email
    let timeout: Double
    let tlsContext: NIOSSLContext
    let redactor: SecretRedactor
    let group: any EventLoopGroup

    package init(name: String, settings: ChannelSettings.Email, timeout: Double,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        self.name = name
        self.settings = settings
        self.timeout = timeout
        self.group = group
        var tls = TLSConfiguration.makeClientConfiguration()
        if let path = settings.trustRootsPath { tls.trustRoots = .file(path) }
        self.tlsContext = try NIOSSLContext(configuration: tls)
        self.redactor = SecretRedactor(settings.password.map { [$0] } ?? [])
    }

    package func deliver(_ message: NotificationMessage) async -> DeliveryResult {
        let email = EmailMessage(message, from: settings.from, to: settings.to)
        do {
            let reply = try await send(email)
            return .delivered(summary: redactor.redact("SMTP \(reply.summary)"))
        } catch let failure as SMTPFailure {
            let reason = redactor.redact(failure.description)
            return failure.isTemporary ? .retryable(reason: reason, retryAfter: nil) : .failed(reason: reason)
        } catch let error as NIOSSLError {
            return .failed(reason: redactor.redact("TLS with \(settings.host): \(error)"))
        } catch let error as BoringSSLError {
            return .failed(reason: redactor.redact("TLS with \(settings.host): \(error)"))
        } catch {
            return .retryable(reason: redactor.redact("cannot reach \(settings.host):\(settings.port): \(error)"),
                              retryAfter: nil)
        }
    }

    /// Runs one SMTP session for `email`; the server's reply accepting it, or a thrown error.
    package func send(_ email: EmailMessage) async throws -> SMTPResponse {
        let session = SendEmailHandler.Session(
            heloName: settings.heloName ?? Self.defaultHeloName(),
            startTLS: settings.security == .startTLS, tlsContext: tlsContext,
            serverHostname: Self.isIPAddress(settings.host) ? nil : settings.host,
            username: settings.username, password: settings.password?.reveal(), mechanism: settings.auth?.rawValue,
            from: email.from, to: email.to, message: email.dotStuffed)
        let implicitTLS = settings.security == .implicitTLS
        let tlsContext = self.tlsContext
        let loop = group.next()
        let done = loop.makePromise(of: SMTPResponse.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    if implicitTLS {
                        try handlers.addHandler(NIOSSLClientHandler(context: tlsContext,
                                                                    serverHostname: session.serverHostname))
                    }
                    try handlers.addHandler(ByteToMessageHandler(SMTPResponseDecoder()))
                    try handlers.addHandler(MessageToByteHandler(SMTPRequestEncoder()))
                    try handlers.addHandler(SendEmailHandler(session: session, done: done))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: settings.host, port: settings.port).get()
        } catch {
            done.fail(error)
            throw error
        }
        let deadline = loop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            done.fail(SMTPFailure.timedOut(stage: "the session"))
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        return try await done.futureResult.get()
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func defaultHeloName() -> String {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty ? "localhost" : name
    }
}
