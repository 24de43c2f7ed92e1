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

/// `preconditioning`: `{airConditioning: {immediate, programs}}` (`RemotePreconditioning`).
public struct RemotePreconditioning: Sendable, Hashable, Codable {
    public struct Program: Sendable, Hashable, Codable {
        public struct Occurence: Sendable, Hashable, Codable {
            public var day: [String]
            public init(day: [String]) { self.day = day }
        }
        public var slot: Int?
        public var enabled: Bool?
        public var actionsType: String?
        public var recurrence: String?
        public var start: String?
        public var occurence: Occurence?
        public init(slot: Int? = nil, enabled: Bool? = nil, actionsType: String? = nil, recurrence: String? = nil,
                    start: String? = nil, occurence: Occurence? = nil) {
            self.slot = slot
            self.enabled = enabled
            self.actionsType = actionsType
            self.recurrence = recurrence
            self.start = start
            self.occurence = occurence
        }
    }
    public struct AirConditioning: Sendable, Hashable, Codable {
        public var immediate: Bool?
        public var programs: [Program]?
        public init(immediate: Bool? = nil, programs: [Program]? = nil) {
            self.immediate = immediate
            self.programs = programs
        }
    }

    public var airConditioning: AirConditioning
    public init(airConditioning: AirConditioning) { self.airConditioning = airConditioning }
}

/// `door`: `{state: Locked|Unlocked}` (`RemoteDoorsState`).
public struct RemoteDoor: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, CaseIterable { case locked = "Locked", unlocked = "Unlocked" }
    public var state: OpenEnum<State>
    public var forced: Bool?
    public init(state: State, forced: Bool? = nil) { self.state = .known(state); self.forced = forced }
}

/// `horn`: `{state: Activated}` (`RemoteHorn`).
public struct RemoteHorn: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, CaseIterable { case activated = "Activated", unactivated = "Unactivated" }
    public var state: OpenEnum<State>
    public init(state: State = .activated) { self.state = .known(state) }
}

/// `lights`: `{on: true}` — a JSON key named `on` (`RemoteLights`).
public struct RemoteLights: Sendable, Hashable, Codable {
    public var on: Bool
    public init(on: Bool = true) { self.on = on }
}

/// `wakeUp`: `{action: WakeUp}` (`RemoteWakeUp`).
public struct RemoteWakeUp: Sendable, Hashable, Codable {
    public var action: String
    public init(action: String = "WakeUp") { self.action = action }
}

/// `navigation`: up to 10 GeoJSON points and `driverApproval` (`RemoteNavigation`).
public struct RemoteNavigation: Sendable, Hashable, Codable {
    public var positions: [GeoPoint]
    public var driverApproval: Bool?
    public init(positions: [GeoPoint], driverApproval: Bool? = nil) {
        self.positions = positions
        self.driverApproval = driverApproval
    }
}
