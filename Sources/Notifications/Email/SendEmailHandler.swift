import NIOCore
import NIOSSL

/// The client side of one SMTP session (RFC 5321), as a state machine fed by the server's
/// replies: greeting → EHLO → (STARTTLS → TLS handshake → EHLO) → AUTH PLAIN or LOGIN
/// (RFC 4954) → MAIL FROM → RCPT TO (each recipient) → DATA → the message → QUIT. Any
/// unexpected reply fails `done` with `SMTPFailure.reply`; the 250 after the message
/// succeeds it (the server accepted the mail: QUIT is a courtesy).
final class SendEmailHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = SMTPResponse
    typealias OutboundOut = SMTPRequest

    struct Session {
        var heloName: String
        var startTLS: Bool
        var tlsContext: NIOSSLContext
        var serverHostname: String?
        var username: String?
        var password: String?
        /// `PLAIN` or `LOGIN` when configured; nil: PLAIN if offered, else LOGIN.
        var mechanism: String?
        var from: String
        var to: [String]
        var message: [UInt8]
    }

    private enum Expect {
        case greeting, hello, startTLS, helloAfterTLS, authPlain, authLoginUser, authLoginPassword, authLoginDone
        case mailFrom, recipient(Int), data, accepted, quit, done
    }

    private let session: Session
    private let done: EventLoopPromise<SMTPResponse>
    private var expect = Expect.greeting
    /// Set once this channel connected: a candidate connection that never did (Happy
    /// Eyeballs tries several addresses) must not fail the session.
    private var active = false

    init(session: Session, done: EventLoopPromise<SMTPResponse>) {
        self.session = session
        self.done = done
    }

    /// What the state machine waits for, for messages (`MAIL FROM`, `AUTH`…).
    var stage: String {
        switch expect {
        case .greeting: return "greeting"
        case .hello, .helloAfterTLS: return "EHLO"
        case .startTLS: return "STARTTLS"
        case .authPlain, .authLoginUser, .authLoginPassword, .authLoginDone: return "AUTH"
        case .mailFrom: return "MAIL FROM"
        case .recipient: return "RCPT TO"
        case .data: return "DATA"
        case .accepted: return "the message"
        case .quit, .done: return "QUIT"
        }
    }

    private func send(_ context: ChannelHandlerContext, _ request: SMTPRequest, then next: Expect) {
        expect = next
        context.writeAndFlush(wrapOutboundOut(request)).whenFailure { [done] error in done.fail(error) }
    }

    private func fail(_ context: ChannelHandlerContext, _ error: Error) {
        expect = .done
        done.fail(error)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        let ok: Bool
        switch expect {
        case .greeting, .startTLS: ok = reply.code == 220
        case .authLoginUser, .authLoginPassword: ok = reply.code == 334
        case .authPlain, .authLoginDone: ok = reply.code == 235
        case .data: ok = reply.code == 354
        case .quit, .done: ok = true
        default: ok = reply.code / 100 == 2
        }
        guard ok else {
            return fail(context, SMTPFailure.reply(stage: stage, code: reply.code, text: reply.lines.last ?? ""))
        }
        advance(context, reply)
    }

    private func advance(_ context: ChannelHandlerContext, _ reply: SMTPResponse) {
        switch expect {
        case .greeting:
            send(context, .hello(session.heloName), then: .hello)
        case .hello:
            if session.startTLS {
                guard reply.extensions.contains("STARTTLS") else { return fail(context, SMTPFailure.startTLSNotOffered) }
                send(context, .startTLS, then: .startTLS)
            } else {
                authenticate(context, reply)
            }
        case .startTLS:
            do {
                let tls = try NIOSSLClientHandler(context: session.tlsContext, serverHostname: session.serverHostname)
                try context.pipeline.syncOperations.addHandler(tls, position: .first)
            } catch {
                return fail(context, error)
            }
            send(context, .hello(session.heloName), then: .helloAfterTLS)
        case .helloAfterTLS:
            authenticate(context, reply)
        case .authLoginUser:
            send(context, .authLoginLine(session.username ?? ""), then: .authLoginPassword)
        case .authLoginPassword:
            send(context, .authLoginLine(session.password ?? ""), then: .authLoginDone)
        case .authPlain, .authLoginDone:
            send(context, .mailFrom(session.from), then: .mailFrom)
        case .mailFrom:
            send(context, .recipient(session.to[0]), then: .recipient(0))
        case .recipient(let index):
            if index + 1 < session.to.count {
                send(context, .recipient(session.to[index + 1]), then: .recipient(index + 1))
            } else {
                send(context, .data, then: .data)
            }
        case .data:
            send(context, .transferData(session.message), then: .accepted)
        case .accepted:
            done.succeed(reply)
            send(context, .quit, then: .quit)
        case .quit:
            expect = .done
            context.close(promise: nil)
        case .done:
            break
        }
    }

    private func authenticate(_ context: ChannelHandlerContext, _ hello: SMTPResponse) {
        guard let username = session.username else {
            return send(context, .mailFrom(session.from), then: .mailFrom)
        }
        let offered = hello.authMechanisms
        let plain = session.mechanism.map { $0 == "PLAIN" } ?? true
        let login = session.mechanism.map { $0 == "LOGIN" } ?? true
        if plain, offered.contains("PLAIN") {
            send(context, .authPlain(user: username, password: session.password ?? ""), then: .authPlain)
        } else if login, offered.contains("LOGIN") {
            send(context, .authLogin, then: .authLoginUser)
        } else {
            fail(context, SMTPFailure.noAuthMechanism(offered: offered))
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        active = true
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !active {} else if case .done = expect {} else if case .quit = expect {} else {
            done.fail(SMTPFailure.connectionClosed(stage: stage))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard active else { return context.close(promise: nil) }
        fail(context, error)
    }
}
