/// `TimeTrigger`: satisfied while the clock is inside one of its windows, in `timeZone`
/// (an Area/City name matching `\w?/\w?`, e.g. `Europe/Paris`, `Etc/UTC`).
public struct TimeTrigger: Sendable, Hashable {
    public var times: [TimeTriggerEntry]
    public var timeZone: String?
    public init(times: [TimeTriggerEntry], timeZone: String? = nil) {
        self.times = times
        self.timeZone = timeZone
    }
}

/// `TimeTriggerEntry`: for `Daily`, `start` is an ISO-8601 duration from midnight
/// (`PT14H30M`), `duration` is mandatory and `occurence.day` lists the days; for
/// `None`, `start` is an RFC 3339 instant. (`occurence` is the API's spelling.)
public struct TimeTriggerEntry: Sendable, Hashable {
    public enum Recurrence: String, Sendable, Hashable, Codable { case none = "None", daily = "Daily" }
    public struct Occurence: Sendable, Hashable, Codable {
        /// `Mon` … `Sun`.
        public var day: [String]?
        /// `w1` … `w52` or ranges `w34-w46`.
        public var week: [String]?
        public init(day: [String]? = nil, week: [String]? = nil) {
            self.day = day
            self.week = week
        }
    }
    public var recurrence: Recurrence?
    public var start: String
    public var duration: String?
    public var occurence: Occurence?
    public init(recurrence: Recurrence? = nil, start: String, duration: String? = nil, occurence: Occurence? = nil) {
        self.recurrence = recurrence
        self.start = start
        self.duration = duration
        self.occurence = occurence
    }
}

extension TimeTrigger: Codable {}
extension TimeTriggerEntry: Codable {}
