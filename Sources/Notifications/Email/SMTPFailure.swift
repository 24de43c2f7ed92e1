/// Why an SMTP delivery stopped. `reply` carries the server's code: 4xx is temporary
/// (retryable), 5xx permanent (RFC 5321 §4.2.1).
package enum SMTPFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered `code` at `stage` (`greeting`, `EHLO`, `STARTTLS`, `AUTH`, `MAIL FROM`, …).
    case reply(stage: String, code: Int, text: String)
    /// `smtp://` needs STARTTLS and the server did not offer it.
    case startTLSNotOffered
    /// A username is configured and the server offers neither PLAIN nor LOGIN (or no AUTH).
    case noAuthMechanism(offered: [String])
    case connectionClosed(stage: String)
    case timedOut(stage: String)

    package var description: String {
        switch self {
        case .reply(let stage, let code, let text): return "SMTP \(code) after \(stage): \(text)"
        case .startTLSNotOffered: return "the SMTP server does not offer STARTTLS (smtp:// requires it; use smtps:// for implicit TLS)"
        case .noAuthMechanism(let offered):
            return "the SMTP server offers no AUTH PLAIN or LOGIN (offered: \(offered.isEmpty ? "none" : offered.joined(separator: " ")))"
        case .connectionClosed(let stage): return "the SMTP server closed the connection during \(stage)"
        case .timedOut(let stage): return "SMTP timed out during \(stage)"
        }
    }

    /// Whether trying again later may succeed.
    package var isTemporary: Bool {
        switch self {
        case .reply(_, let code, _): return code < 500
        case .startTLSNotOffered, .noAuthMechanism: return false
        case .connectionClosed, .timedOut: return true
        }
    }
}
