import NIOCore

/// One thing the client writes (RFC 5321 §4.1, RFC 4954 for AUTH). The AUTH lines carry
/// credentials: never print a request.
enum SMTPRequest {
    case hello(String)
    case startTLS
    /// `AUTH PLAIN <base64(\0user\0password)>` (RFC 4616).
    case authPlain(user: String, password: String)
    /// `AUTH LOGIN`, then each answer to a 334 as its own base64 line.
    case authLogin
    case authLoginLine(String)
    case mailFrom(String)
    case recipient(String)
    case data
    /// The message, already dot-stuffed, followed by `CRLF . CRLF`.
    case transferData([UInt8])
    case quit
}

/// Writes `SMTPRequest`s as CRLF-terminated command lines.
struct SMTPRequestEncoder: MessageToByteEncoder {
    typealias OutboundIn = SMTPRequest

    func encode(data: SMTPRequest, out: inout ByteBuffer) throws {
        switch data {
        case .hello(let name): out.writeString("EHLO \(name)\r\n")
        case .startTLS: out.writeString("STARTTLS\r\n")
        case .authPlain(let user, let password):
            let token = Base64.encode(Array("\u{0}\(user)\u{0}\(password)".utf8))
            out.writeString("AUTH PLAIN \(token)\r\n")
        case .authLogin: out.writeString("AUTH LOGIN\r\n")
        case .authLoginLine(let text): out.writeString(Base64.encode(Array(text.utf8)) + "\r\n")
        case .mailFrom(let address): out.writeString("MAIL FROM:<\(address)>\r\n")
        case .recipient(let address): out.writeString("RCPT TO:<\(address)>\r\n")
        case .data: out.writeString("DATA\r\n")
        case .transferData(let bytes):
            out.writeBytes(bytes)
            out.writeString(".\r\n")
        case .quit: out.writeString("QUIT\r\n")
        }
    }
}
