/// One trigger of a monitor (`MonitorTrigger`): a unique `name` (letters then digits are
/// safe) and exactly one of `zone`, `time` or `data`.
public struct MonitorTrigger: Sendable, Hashable {
    public var name: String
    public var zone: ZoneTrigger?
    public var time: TimeTrigger?
    public var data: DataTrigger?

    public init(name: String, zone: ZoneTrigger? = nil, time: TimeTrigger? = nil, data: DataTrigger? = nil) {
        self.name = name
        self.zone = zone
        self.time = time
        self.data = data
    }
    public static func zone(_ name: String, _ zone: ZoneTrigger) -> Self { Self(name: name, zone: zone) }
    public static func time(_ name: String, _ time: TimeTrigger) -> Self { Self(name: name, time: time) }
    public static func data(_ name: String, _ data: DataTrigger) -> Self { Self(name: name, data: data) }
}

/// `ZoneTrigger`: satisfied while the vehicle is inside (`In`) or outside (`Out`) a
/// circle whose radius is a whole number of km.
public struct ZoneTrigger: Sendable, Hashable {
    public enum Transition: String, Sendable, Hashable, Codable { case `in` = "In", out = "Out" }
    public struct Center: Sendable, Hashable, Codable {
        public var latitude: Double
        public var longitude: Double
        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }
    public struct Place: Sendable, Hashable, Codable {
        public var center: Center
        /// Kilometres.
        public var radius: Int
        public init(center: Center, radius: Int) {
            self.center = center
            self.radius = radius
        }
    }
    public var transition: Transition
    public var place: Place
    public init(transition: Transition, place: Place) {
        self.transition = transition
        self.place = place
    }
}

extension MonitorTrigger: Codable {}
extension ZoneTrigger: Codable {}
