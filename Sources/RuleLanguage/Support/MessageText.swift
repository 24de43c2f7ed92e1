/// Diagnostic messages and notes are one line each, of bounded length, whatever user
/// text they quote (a multi-line block scalar as a bundle name, a 100 kB key, a NUL):
/// the text renderer's `file:line:col: severity[code]: message` line and the GitHub
/// annotation stay one line. Found by the rule-file fuzzer.
enum MessageText {
    static let maxLength = 400

    static func oneLine(_ text: String) -> String {
        var out = ""
        var needed = false
        for u in text.unicodeScalars where u.value < 0x20 || u.value == 0x7F || u == "\u{2028}" || u == "\u{2029}" {
            needed = true
            break
        }
        if needed {
            for u in text.unicodeScalars {
                switch u {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where u.value < 0x20 || u.value == 0x7F || u == "\u{2028}" || u == "\u{2029}":
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                default: out.unicodeScalars.append(u)
                }
            }
        } else {
            out = text
        }
        guard out.count > maxLength else { return out }
        return String(out.prefix(maxLength - 81)) + "…" + String(out.suffix(80))
    }
}
