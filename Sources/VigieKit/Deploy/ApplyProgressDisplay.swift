import Foundation
import Synchronization

/// Shows apply progress: on a terminal, one bar redrawn in place
/// (`[#########-----------] 3/7 creating monitor …`); otherwise one plain line per
/// finished step.
final class ApplyProgressDisplay: Sendable {
    private let console: DeployConsole
    /// Whether the bar's line is on screen (and needs a newline to end it).
    private let drawn = Mutex(false)
    static let width = 24

    init(console: DeployConsole) { self.console = console }

    func show(_ progress: Applier.Progress) {
        drawn.withLock { drawn in
            if console.isTerminal {
                let filled = progress.total == 0 ? Self.width : Self.width * progress.index / progress.total
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: Self.width - filled)
                var text = "[\(bar)] \(progress.index)/\(progress.total) \(progress.description)"
                if text.count > 110 { text = String(text.prefix(109)) + "…" }
                console.out("\r\u{1B}[2K" + text)
                drawn = true
            } else if progress.finished {
                console.out("[\(progress.index)/\(progress.total)] \(progress.description): done\n")
            }
        }
    }

    /// Ends the bar's line.
    func finish() {
        drawn.withLock { drawn in
            if drawn { console.out("\n") }
            drawn = false
        }
    }
}
