import Foundation

/// How the console behaves (docs/console.md "Security").
public struct ConsoleSettings: Sendable {
    /// The admin token (`admin.token`). nil: the console answers 403 on every page.
    public var token: String?
    /// How long a login lasts.
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// Seconds between two live-update events.
    public var tick: Double = 1
    /// A live stream ends after this many events (the browser reconnects by itself), so
    /// no stream holds a shutdown for long.
    public var streamEvents = 120
    /// Vehicles per page.
    public var pageSize = 50

    public init(token: String?) {
        self.token = token
    }
}
