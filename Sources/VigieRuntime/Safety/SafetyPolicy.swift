import Foundation

/// The thresholds of the runtime guardrails (docs/safety.md), from the configuration's
/// `safety:` section and `stale_after`. Durations are seconds.
package struct SafetyPolicy: Sendable, Hashable {
    /// `safety.paused`: every firing becomes a `paused` suppression and no command is sent.
    package var paused: Bool
    /// Flapping: more than `flapMaxRises` rises of a rule on a vehicle within `flapWindow`
    /// seconds hold its firings back until it has been quiet for a full window.
    package var flapWindow: TimeInterval
    package var flapMaxRises: Int
    /// Loops: more than `loopMaxFirings` firings of a rule on a vehicle within `loopWindow`
    /// seconds stop that rule for that vehicle until `vigie resume`.
    package var loopWindow: TimeInterval
    package var loopMaxFirings: Int
    /// A command that waited behind a pause longer than this is dropped (`stale`) on resume.
    package var staleAfter: TimeInterval

    package init(paused: Bool = false, flapWindow: TimeInterval = 600, flapMaxRises: Int = 4,
                loopWindow: TimeInterval = 3600, loopMaxFirings: Int = 6, staleAfter: TimeInterval = 300) {
        self.paused = paused
        self.flapWindow = flapWindow
        self.flapMaxRises = flapMaxRises
        self.loopWindow = loopWindow
        self.loopMaxFirings = loopMaxFirings
        self.staleAfter = staleAfter
    }

    /// The configuration's `safety:` section (`staleAfter` is the configuration's `stale_after`).
    package init(_ safety: VigieConfig.Safety, staleAfter: TimeInterval = 300) {
        self.init(paused: safety.paused, flapWindow: safety.flapWindow, flapMaxRises: safety.flapMaxRises,
                  loopWindow: safety.loopWindow, loopMaxFirings: safety.loopMaxFirings, staleAfter: staleAfter)
    }

    /// Everything a running `vigie serve` needs from its configuration.
    package init(config: VigieConfig) {
        self.init(config.safety, staleAfter: config.staleAfter)
    }
}
