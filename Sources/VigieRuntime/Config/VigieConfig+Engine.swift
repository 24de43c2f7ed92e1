import Foundation
import Yams

extension VigieConfig {
    /// `engine: {reorder_window}` (docs/configuration.md). The window may be 0 (no
    /// reordering) and must be shorter than `stale_after`: an observation held that long
    /// would be stale by the time it is observed.
    mutating func readEngine(_ node: Node, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "engine", allowed: ["reorder_window"]) else { return }
        guard let n = map["reorder_window"] else { return }
        guard let text = n.scalar?.string, let seconds = ConfigReader.seconds(text) else {
            r.fail(n, "engine.reorder_window must be a duration such as 2s, 30s or 0 (no reordering)")
            return
        }
        if seconds >= staleAfter {
            r.fail(n, "engine.reorder_window (\(text)) must be shorter than stale_after: "
                + "an observation held that long would be stale when observed")
            return
        }
        reorderWindow = seconds
    }
}
