/// One entry of `notifications.channels`: its name, its provider's settings and the
/// delivery limits that apply to it.
package struct ChannelConfiguration: Sendable, Hashable {
    /// How many deliveries a channel takes in a window; more wait their turn (never dropped).
    package struct RateLimit: Sendable, Hashable {
        package var count: Int
        /// Seconds.
        package var per: Double
        package init(count: Int, per: Double) {
            self.count = count
            self.per = per
        }
    }

    package var name: String
    package var settings: ChannelSettings
    /// Seconds a delivery keeps being retried before it is `expired` (default 24 h).
    package var maxAge: Double
    package var rateLimit: RateLimit?
    /// Seconds one attempt may take (connection, TLS, answer).
    package var timeout: Double

    package init(name: String, settings: ChannelSettings, maxAge: Double = 86_400, rateLimit: RateLimit? = nil,
                timeout: Double = 15) {
        self.name = name
        self.settings = settings
        self.maxAge = maxAge
        self.rateLimit = rateLimit
        self.timeout = timeout
    }
}
