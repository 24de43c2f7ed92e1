/// `monitorEvent` of a webhook message (B2C `MonitorEvent`; the B2B template's
/// `MonitorEvent` adds `fleetId`, `vin` and `eventDate`).
public struct MessageMonitorEvent: Sendable, Hashable {
    /// One `{data, value, previous}` pair of `values`: the data path that caused the
    /// event and its value as text (`value.body.literalValue`) or objects.
    public struct Value: Sendable, Hashable {
        public struct Content: Sendable, Hashable, Codable {
            public struct Body: Sendable, Hashable, Codable {
                public var literalValue: String?
                public var objectValues: [JSONValue]?
                public init(literalValue: String? = nil, objectValues: [JSONValue]? = nil) {
                    self.literalValue = literalValue
                    self.objectValues = objectValues
                }
            }
            public var type: String?
            public var body: Body?
            public init(type: String? = "string", body: Body? = nil) { self.type = type; self.body = body }
        }

        public var data: String
        public var value: Content?
        public var previous: String?

        public init(data: String, literal: String, previous: String? = nil) {
            self.data = data
            self.value = Content(type: "string", body: .init(literalValue: literal))
            self.previous = previous
        }

        public init(data: String, value: Content?, previous: String? = nil) {
            self.data = data
            self.value = value
            self.previous = previous
        }

        /// `value.body.literalValue`.
        public var literal: String? { value?.body?.literalValue }
    }

    public var monitorId: String?
    public var values: [Value]
    /// Extended data asked for by the monitor (`vehicle.status`, `vehicle.position`…), kept as JSON.
    public var extensions: [JSONValue]?
    /// True for a reminder sent because of `refreshEvent` while the monitor stays satisfied.
    public var refresh: Bool?
    // B2B only.
    public var fleetId: String?
    public var vin: String?
    public var eventDate: String?

    public init(monitorId: String?, values: [Value], extensions: [JSONValue]? = nil, refresh: Bool? = nil,
                fleetId: String? = nil, vin: String? = nil, eventDate: String? = nil) {
        self.monitorId = monitorId
        self.values = values
        self.extensions = extensions
        self.refresh = refresh
        self.fleetId = fleetId
        self.vin = vin
        self.eventDate = eventDate
    }
}

extension MessageMonitorEvent.Value: Codable {}

extension MessageMonitorEvent: Codable {
    enum CodingKeys: String, CodingKey { case monitorId, values, extensions, refresh, fleetId, vin, eventDate }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        monitorId = try c.decodeIfPresent(String.self, forKey: .monitorId)
        values = try c.decodeIfPresent([Value].self, forKey: .values) ?? []
        extensions = try c.decodeIfPresent([JSONValue].self, forKey: .extensions)
        refresh = try c.decodeIfPresent(Bool.self, forKey: .refresh)
        fleetId = try c.decodeIfPresent(String.self, forKey: .fleetId)
        vin = try c.decodeIfPresent(String.self, forKey: .vin)
        eventDate = try c.decodeIfPresent(String.self, forKey: .eventDate)
    }
}
