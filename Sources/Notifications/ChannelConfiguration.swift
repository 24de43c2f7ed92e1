/// One entry of `notifications.channels`: its name, its provider's settings and the
/// delivery limits that apply to it.
public struct ChannelConfiguration: Sendable, Hashable {
    /// How many deliveries a channel takes in a window; more wait their turn (never dropped).
    public struct RateLimit: Sendable, Hashable {
        public var count: Int
        /// Seconds.
        public var per: Double
        public init(count: Int, per: Double) {
            self.count = count
            self.per = per
        }
    }

    public var name: String
    public var settings: ChannelSettings
    /// Seconds a delivery keeps being retried before it is `expired` (default 24 h).
    public var maxAge: Double
    public var rateLimit: RateLimit?
    /// Seconds one attempt may take (connection, TLS, answer).
    public var timeout: Double

    public init(name: String, settings: ChannelSettings, maxAge: Double = 86_400, rateLimit: RateLimit? = nil,
                timeout: Double = 15) {
        self.name = name
        self.settings = settings
        self.maxAge = maxAge
        self.rateLimit = rateLimit
        self.timeout = timeout
    }
}
