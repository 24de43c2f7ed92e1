/// The body of a monitor as POSTed: B2C `MonitorParameter`
/// (`POST /user/vehicles/{id}/callbacks/{cbid}/monitors`, api-b2c.yaml) and the B2B
/// fleet monitor (`POST /fleets/{fid}/monitors`, api-b2b.yaml `MonitorParameter`).
///
/// The two schemas share `label`, `extendedEventParam` and `triggerParam`; they differ in
/// `subscribeParam` (B2B requires it, with a `callback`), which `SubscribeParam` covers
/// with optional members. Optional members are omitted when encoding (never `null`).
public struct MonitorParameter: Sendable, Hashable {
    public var label: String
    public var subscribeParam: SubscribeParam?
    /// B2C only: attributes added to the notification (`MonitorAttributeSet`).
    public var attributes: [MonitorAttribute]?
    public var extendedEventParam: [ExtendedEventParam]?
    public var triggerParam: TriggerParam

    public init(label: String, subscribeParam: SubscribeParam? = nil, attributes: [MonitorAttribute]? = nil,
                extendedEventParam: [ExtendedEventParam]? = nil, triggerParam: TriggerParam) {
        self.label = label
        self.subscribeParam = subscribeParam
        self.attributes = attributes
        self.extendedEventParam = extendedEventParam
        self.triggerParam = triggerParam
    }
}

/// `triggerParam`: 1 to 5 triggers combined by `boolExp` (`&`, `|`, `!`, parentheses;
/// no precedence between `&` and `|`, so mixed expressions are fully parenthesised).
public struct TriggerParam: Sendable, Hashable {
    public var triggers: [MonitorTrigger]
    public var boolExp: String
    public init(triggers: [MonitorTrigger], boolExp: String) {
        self.triggers = triggers
        self.boolExp = boolExp
    }
}

/// One item of `extendedEventParam`: `vehicle.status`, `vehicle.position`, … or
/// `vehicle.telemetry.TYPE` (the telemetry suffix makes this an open set of strings).
public struct ExtendedEventParam: RawRepresentable, Sendable, Hashable, Comparable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public static let doorsState = Self("vehicle.doorsState")
    public static let status = Self("vehicle.status")
    public static let maintenance = Self("vehicle.maintenance")
    public static let position = Self("vehicle.position")
    public static let telemetry = Self("vehicle.telemetry")
    public static let alerts = Self("vehicle.alerts")
    /// B2C only.
    public static let alarm = Self("vehicle.alarm")
    public static let trip = Self("vehicle.trip")
    /// B2B only.
    public static let collisions = Self("vehicle.collisions")
    /// B2B only.
    public static let stolen = Self("vehicle.stolen")
}

/// One monitor attribute (`{type: Header|Body|Query, key, value}`), also used by the B2B
/// webhook of a fleet monitor's callback. `value` may name a variable with `$`.
public struct MonitorAttribute: Sendable, Hashable {
    public var type: String
    public var key: String
    public var value: String
    public init(type: String, key: String, value: String) {
        self.type = type
        self.key = key
        self.value = value
    }
}

extension MonitorParameter: Codable {}
extension TriggerParam: Codable {}
extension MonitorAttribute: Codable {}
extension ExtendedEventParam: Codable {
    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
