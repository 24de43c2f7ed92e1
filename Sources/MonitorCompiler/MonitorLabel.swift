import Foundation
import StellantisModels

/// Monitor labels: `vigie:<bundle/rule>[,<bundle/rule>…|+N]:<hash>`, the hash (FNV-1a 64,
/// 16 hex digits) taken over the body without its label, so a later `plan` can tell a
/// deployed monitor that is current from a stale one.
public enum MonitorLabel {
    static let shownRules = 3

    public static func make(rules: [String], body: MonitorParameter) -> String {
        let shown = rules.prefix(shownRules).joined(separator: ",")
        let more = rules.count > shownRules ? "+\(rules.count - shownRules)" : ""
        return "vigie:\(shown)\(more):\(contentHash(body))"
    }

    /// The hash of a body, ignoring its label.
    public static func contentHash(_ body: MonitorParameter) -> String {
        var unlabeled = body
        unlabeled.label = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(unlabeled)) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The hash part of a Vigie label, or nil for a label Vigie did not write.
    public static func hash(inLabel label: String) -> String? {
        guard label.hasPrefix("vigie:"), let last = label.split(separator: ":").last, last.count == 16 else { return nil }
        return String(last)
    }
}
