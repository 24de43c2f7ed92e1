import RuleEngine
import RuleLanguage
import VehicleData

/// A decision's JSON line (`ReplayFormat.jsonLine`) written straight into bytes, without
/// building its `JSONValue` and sorting its keys each time: the keys in their sorted
/// order (`actions`, `at`, `bundle`, `event`, `reason`, `rule`, `vin`), strings escaped as
/// `CanonicalJSON` escapes them, remote bodies through `CanonicalJSON` itself. The
/// streaming replay's tests check it prints the same bytes as `ReplayFormat.jsonLine`.
enum ReplayDecisionJSON {
    static func append(_ d: Decision, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"actions": ["#.utf8)
        for (i, action) in d.actions.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            switch action {
            case .remote(let body):
                out.append(contentsOf: #"{"remote": "#.utf8)
                out.append(contentsOf: CanonicalJSON.text(body, pretty: false).utf8)
            case .notify(let text):
                out.append(contentsOf: #"{"notify": "#.utf8)
                string(text, to: &out)
                if let details = d.notifyDetails[i] {
                    // `priority`, `title`, `to` when the rule gives them (all sort after `notify`).
                    for (key, value) in details.members.sorted(by: { $0.key < $1.key }) {
                        out.append(contentsOf: ", \"\(key)\": ".utf8)
                        out.append(contentsOf: CanonicalJSON.text(value, pretty: false).utf8)
                    }
                }
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"], "at": ""#.utf8)
        out.append(contentsOf: RFC3339.formatUTC(d.at).utf8)
        out.append(contentsOf: #"", "bundle": "#.utf8)
        string(d.bundle, to: &out)
        out.append(contentsOf: #", "event": ""#.utf8)
        out.append(contentsOf: d.event.rawValue.utf8)
        out.append(contentsOf: #"", "reason": "#.utf8)
        if let reason = d.reason {
            string(reason.rawValue, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #", "rule": "#.utf8)
        string(d.rule, to: &out)
        out.append(contentsOf: #", "vin": "#.utf8)
        string(d.vin, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }

    /// A JSON string as `CanonicalJSON` writes it: `"` `\` and control characters
    /// escaped, everything else (`/`, non-ASCII) as it is.
    static func string(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case ..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
