/// The body of a remote request (`Remote`): exactly one action per request, plus an
/// optional label and notification attributes.
///
///     Remote(.charging(RemoteCharging(immediate: true)))   // {"charging":{"immediate":true}}
public struct Remote: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case preconditioning(RemotePreconditioning)
        case door(RemoteDoor)
        case horn(RemoteHorn)
        case charging(RemoteCharging)
        case lights(RemoteLights)
        case wakeUp(RemoteWakeUp)
        case navigation(RemoteNavigation)
        /// An action this build does not model (B2B `immobilization`, `stolen`, or a new one): key and body.
        case other(String, JSONValue)
    }

    public var action: Action
    public var label: String?
    public var attributes: [CallbackAttribute]?
    public var callbackAttributes: JSONValue?

    public init(_ action: Action, label: String? = nil, attributes: [CallbackAttribute]? = nil,
                callbackAttributes: JSONValue? = nil) {
        self.action = action
        self.label = label
        self.attributes = attributes
        self.callbackAttributes = callbackAttributes
    }

    /// The `RemoteType` the API reports for this action.
    public var remoteType: OpenEnum<RemoteType> {
        switch action {
        case .preconditioning: return .known(.thermalPreconditioning)
        case .door: return .known(.doors)
        case .horn: return .known(.horn)
        case .charging: return .known(.electricBatteryChargingRequest)
        case .lights: return .known(.lights)
        case .wakeUp: return .known(.wakeUp)
        case .navigation: return .known(.navigation)
        case .other(let key, _): return OpenEnum(rawValue: key.prefix(1).uppercased() + key.dropFirst())
        }
    }

    /// The JSON key of the action (`charging`, `door`, …).
    public var actionKey: String {
        switch action {
        case .preconditioning: return "preconditioning"
        case .door: return "door"
        case .horn: return "horn"
        case .charging: return "charging"
        case .lights: return "lights"
        case .wakeUp: return "wakeUp"
        case .navigation: return "navigation"
        case .other(let key, _): return key
        }
    }
}

extension Remote: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
    static let metadataKeys: Set<String> = ["label", "attributes", "callbackAttributes"]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        label = try c.decodeIfPresent(String.self, forKey: Key("label"))
        attributes = try c.decodeIfPresent([CallbackAttribute].self, forKey: Key("attributes"))
        callbackAttributes = try c.decodeIfPresent(JSONValue.self, forKey: Key("callbackAttributes"))
        let actionKeys = c.allKeys.map(\.stringValue).filter { !Self.metadataKeys.contains($0) }.sorted()
        guard actionKeys.count == 1, let key = actionKeys.first else {
            let found = actionKeys.isEmpty ? "none" : actionKeys.joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a remote carries exactly one action; found \(found)"))
        }
        action = try Self.decodeAction(key, from: c)
    }

    private static func decodeAction(_ key: String, from c: KeyedDecodingContainer<Key>) throws -> Action {
        let k = Key(key)
        switch key {
        case "preconditioning": return .preconditioning(try c.decode(RemotePreconditioning.self, forKey: k))
        case "door": return .door(try c.decode(RemoteDoor.self, forKey: k))
        case "horn": return .horn(try c.decode(RemoteHorn.self, forKey: k))
        case "charging": return .charging(try c.decode(RemoteCharging.self, forKey: k))
        case "lights": return .lights(try c.decode(RemoteLights.self, forKey: k))
        case "wakeUp": return .wakeUp(try c.decode(RemoteWakeUp.self, forKey: k))
        case "navigation": return .navigation(try c.decode(RemoteNavigation.self, forKey: k))
        default: return .other(key, try c.decode(JSONValue.self, forKey: k))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(label, forKey: Key("label"))
        try c.encodeIfPresent(attributes, forKey: Key("attributes"))
        try c.encodeIfPresent(callbackAttributes, forKey: Key("callbackAttributes"))
        let k = Key(actionKey)
        switch action {
        case .preconditioning(let body): try c.encode(body, forKey: k)
        case .door(let body): try c.encode(body, forKey: k)
        case .horn(let body): try c.encode(body, forKey: k)
        case .charging(let body): try c.encode(body, forKey: k)
        case .lights(let body): try c.encode(body, forKey: k)
        case .wakeUp(let body): try c.encode(body, forKey: k)
        case .navigation(let body): try c.encode(body, forKey: k)
        case .other(_, let body): try c.encode(body, forKey: k)
        }
    }
}
