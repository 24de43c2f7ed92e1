/// `charging`: start/stop now (`immediate`), a schedule, or preferences (`RemoteCharging`).
public struct RemoteCharging: Sendable, Hashable, Codable {
    public enum Level: String, Sendable, Hashable, CaseIterable {
        case level1 = "Level1", level2 = "Level2", level3 = "Level3", level4 = "Level4", level5 = "Level5"
    }
    public enum Kind: String, Sendable, Hashable, CaseIterable { case partial = "Partial", full = "Full" }
    public struct Schedule: Sendable, Hashable, Codable {
        public var nextDelayedTime: String?
        public var programs: [JSONValue]?
        public init(nextDelayedTime: String? = nil, programs: [JSONValue]? = nil) {
            self.nextDelayedTime = nextDelayedTime
            self.programs = programs
        }
    }
    public struct Preferences: Sendable, Hashable, Codable {
        public var level: OpenEnum<Level>?
        public var type: OpenEnum<Kind>?
        public init(level: Level? = nil, type: Kind? = nil) {
            self.level = level.map { .known($0) }
            self.type = type.map { .known($0) }
        }
    }

    public var immediate: Bool?
    public var schedule: Schedule?
    public var preferences: Preferences?
    /// Deprecated top-level form of `schedule.nextDelayedTime`.
    public var nextDelayedTime: String?

    public init(immediate: Bool? = nil, schedule: Schedule? = nil, preferences: Preferences? = nil,
                nextDelayedTime: String? = nil) {
        self.immediate = immediate
        self.schedule = schedule
        self.preferences = preferences
        self.nextDelayedTime = nextDelayedTime
    }
}
