import Foundation

/// Builds fuzzed webhook bodies from valid messages: byte-level damage (flips, cuts,
/// splices, stray tokens) and structural changes (values of the wrong type, deep or
/// huge nesting, unicode edge cases), one message or a batch.
enum WebhookBodyMutator {
    static let tokens = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", "0", "-0", "1e999", "1e-999",
                         "123456789012345678901234567890", "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude97", "é", "\u{0}",
                         "\t", "\"Monitor\"", "\"Remote\"", "[]", "{}", "\"vin\"", "NaN", "0x1F", "'", "\u{FEFF}"]

    static func seedMessage<G: RandomNumberGenerator>(_ g: inout G) -> String {
        let n = Int.random(in: 0..<50, using: &g)
        switch Int.random(in: 0..<4, using: &g) {
        case 0: return SampleMessages.remote(id: "ra-\(n)", type: ["Pending", "Done"].randomElement(using: &g)!,
                                             status: ["Success", "Failed", "Unknown"].randomElement(using: &g)!)
        case 1: return SampleMessages.wrongType
        default: return SampleMessages.monitor(vin: "VR3FUZZ\(n % 7)", level: "\(n)")
        }
    }

    static func body<G: RandomNumberGenerator>(_ g: inout G) -> String {
        let count = Int.random(in: 0..<5, using: &g)
        let items = (0..<max(count, 1)).map { _ in mutated(seedMessage(&g), &g) }
        if count == 0 { return items[0] }
        return "[" + items.joined(separator: Int.random(in: 0..<20, using: &g) == 0 ? " , " : ",") + "]"
    }

    static func mutated<G: RandomNumberGenerator>(_ text: String, _ g: inout G) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 0...3, using: &g) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &g)
            switch Int.random(in: 0..<9, using: &g) {
            case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &g))
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &g)))
            case 2: bytes.insert(contentsOf: Array(tokens.randomElement(using: &g)!.utf8), at: at)
            case 3: bytes = Array(bytes[..<at])
            case 4:
                let end = min(bytes.count, at + Int.random(in: 1...40, using: &g))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: end)
            case 5: bytes = Array(nested(String(decoding: bytes, as: UTF8.self), &g).utf8)
            case 6: bytes = Array(retyped(String(decoding: bytes, as: UTF8.self), &g).utf8)
            default: break // leave it valid: keeps stored messages (and duplicates) in the mix
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Wraps the text in arrays or objects, sometimes past the reader's depth limit.
    private static func nested<G: RandomNumberGenerator>(_ text: String, _ g: inout G) -> String {
        let depth = [1, 2, 10, 255, 256, 300, 5_000].randomElement(using: &g)!
        if Bool.random(using: &g) {
            return String(repeating: "[", count: depth) + text + String(repeating: "]", count: depth)
        }
        return String(repeating: #"{"a":"#, count: depth) + text + String(repeating: "}", count: depth)
    }

    /// Replaces a quoted value after a key with a value of another JSON type.
    private static func retyped<G: RandomNumberGenerator>(_ text: String, _ g: inout G) -> String {
        let keys = ["\"type\": ", "\"date\": ", "\"value\": ", "\"remoteActionId\": ", "\"monitorId\": ", "\"data\": "]
        let key = keys.randomElement(using: &g)!
        guard let range = text.range(of: key) else { return text }
        let replacement = ["5", "null", "[]", "{}", "true", "\"\"", "-1.5e3", "[\"x\"]"].randomElement(using: &g)!
        var rest = text[range.upperBound...]
        if rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") {
            rest = rest[rest.index(after: close)...]
        }
        return String(text[..<range.upperBound]) + replacement + rest
    }

    /// Bodies kept as regression cases (inputs that exercised an edge once).
    static let regressions: [String] = [
        String(repeating: "[", count: 100_000),
        String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        String(repeating: #"{"a":"#, count: 50_000) + "1" + String(repeating: "}", count: 50_000),
        "[" + String(repeating: "[", count: 256) + String(repeating: "]", count: 256) + "]",
        #"["\ud800"]"#, #"["\udc00\ud800"]"#, #"[1e999, -1e999, 1e-999]"#, "[-0, 0.0, 123456789012345678901234567890]",
        "\u{FEFF}" + SampleMessages.monitor(), SampleMessages.monitor() + "\u{0}", "", " ", "null", "[]", "[[]]", "{}",
        "[" + SampleMessages.monitor().replacingOccurrences(of: "\"18\"", with: "\"\\u0000\"") + "]",
        SampleMessages.monitor().replacingOccurrences(of: "\"Monitor\"", with: "\"Remote\""),
        SampleMessages.remote().replacingOccurrences(of: "\"Success\"", with: "7"),
    ]
}
