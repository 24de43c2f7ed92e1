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
