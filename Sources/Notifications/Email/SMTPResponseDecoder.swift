import NIOCore

/// Frames the server's bytes into lines (CRLF, or a bare LF) and gathers the lines of one
/// reply (`250-…` continues, `250 …` ends, RFC 5321 §4.2.1) into one `SMTPResponse`. A line
/// longer than 4 KiB or one that does not start with three digits is an error.
struct SMTPResponseDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPResponse

    enum DecodingError: Error, CustomStringConvertible {
        case lineTooLong
        case malformed(String)
        var description: String {
            switch self {
            case .lineTooLong: return "SMTP reply line longer than 4 KiB"
            case .malformed(let line): return "malformed SMTP reply line `\(line.prefix(80))`"
            }
        }
    }

    private var pending: [String] = []

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw DecodingError.lineTooLong }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0 ..< 3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let code = Int(String(line.prefix(3))) else {
            throw DecodingError.malformed(line)
        }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        let text = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
        pending.append(text)
        if separator == UInt8(ascii: "-") { return .continue }
        let response = SMTPResponse(code: code, lines: pending)
        pending = []
        context.fireChannelRead(wrapInboundOut(response))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                             seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
        return .needMoreData
    }
}
