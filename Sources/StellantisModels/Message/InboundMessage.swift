import VehicleData

/// One webhook `Message` (api-b2c-webhook-template.yaml; a B2B event is first written as
/// the `Message` that says the same), read once into what every reader needs: the
/// receiver (is it usable, which vehicle, which date — `check`), the inbox (which stores
/// its canonical JSON with that vehicle, type and date), the engine loop (an observation
/// or the progress of a command — `read` on a stored row) and replay `message` lines
/// (`check`, as the receiver would, then the same reading).
///
/// Which event a message carries: the one its `type` names (`Monitor` / `Remote`); a
/// message without a `type` carries its `remoteEvent` when it has one, else its
/// `monitorEvent` (as the engine loop has always read stored rows).
public struct InboundMessage: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A monitor event: its observation is `MonitorEventContent.reading()`.
        case monitor(MonitorEventContent)
        /// The progress of a remote command.
        case remote(RemoteEventContent)
    }

    /// `type` as sent (`Monitor`, `Remote`; nil when absent).
    public var type: String?
    /// The vehicle the message names: a `vin` body attribute (how a B2C callback routes
    /// by vehicle, `$vin` substituted), else the event's own `vin` (B2B).
    public var vin: String?
    /// The message's own `date`, else its event's `eventDate`, as sent.
    public var eventDate: String?
    public var kind: Kind

    public init(type: String?, vin: String?, eventDate: String?, kind: Kind) {
        self.type = type
        self.vin = vin
        self.eventDate = eventDate
        self.kind = kind
    }

    /// Reads a message that is already known usable — a stored inbox row, or an item
    /// `check` accepted — leniently: only what decides its kind is required (rows stored
    /// by older versions are read as they always were).
    public static func read(_ value: JSONValue) -> Result<InboundMessage, MessageProblem> {
        guard case .object(let o) = value else { return .failure(MessageProblem("the message is not a JSON object")) }
        let monitor = present(o["monitorEvent"]), remote = present(o["remoteEvent"])
        let type = o["type"]?.stringValue
        let kind: Kind
        switch event(of: value) {
        case .failure(let problem): return .failure(problem)
        case .success(let (isMonitor, event)):
            kind = isMonitor ? .monitor(MonitorEventContent(event: event)) : .remote(RemoteEventContent(event))
        }
        let vinAttribute = o["attributes"]?.arrayValue?
            .first { $0["key"]?.stringValue?.lowercased() == "vin" }?["value"]?.stringValue
        let vin = (vinAttribute?.isEmpty == false ? vinAttribute : nil)
            ?? monitor?["vin"]?.stringValue ?? remote?["vin"]?.stringValue
        let eventDate = o["date"]?.stringValue ?? monitor?["eventDate"]?.stringValue ?? remote?["eventDate"]?.stringValue
        return .success(InboundMessage(type: type, vin: vin, eventDate: eventDate, kind: kind))
    }

    /// The event a message carries (the rule above): whether it is a monitor event, and it.
    static func event<N: JSONNode>(of message: N) -> Result<(isMonitor: Bool, event: N), MessageProblem> {
        let monitor = present(message["monitorEvent"]), remote = present(message["remoteEvent"])
        switch message["type"]?.stringValue {
        case "Monitor":
            guard let monitor else { return .failure(MessageProblem("type is Monitor but monitorEvent is missing")) }
            return .success((true, monitor))
        case "Remote":
            guard let remote else { return .failure(MessageProblem("type is Remote but remoteEvent is missing")) }
            return .success((false, remote))
        default:
            if let remote { return .success((false, remote)) }
            if let monitor { return .success((true, monitor)) }
            return .failure(MessageProblem("neither monitorEvent nor remoteEvent is present"))
        }
    }

    /// The monitor event of a message read in place that `hasUsableShape` accepted (nil:
    /// it carries a remote event), as `read` would find it.
    package static func monitorEvent(ofUsable message: JSONTape.Node) -> JSONTape.Node? {
        guard case .success(let (isMonitor, event)) = self.event(of: message), isMonitor else { return nil }
        return event
    }

    static func present<N: JSONNode>(_ value: N?) -> N? {
        guard let value, !value.isNull else { return nil }
        return value
    }
}

/// Why a message cannot be used, in words for a dead letter, a log line or a replay error.
public struct MessageProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

/// A monitor event (`monitorEvent`): what it says about its vehicle is read by
/// `MonitorEventReader` — the extended `vehicle.status` / `vehicle.position` data first,
/// then the trigger `values` (SEMANTICS.md, replayed messages).
public struct MonitorEventContent: Sendable, Hashable {
    public var event: JSONValue

    public init(event: JSONValue) { self.event = event }

    /// The observation (values, data times, where each was read) and its warnings.
    public func reading() -> MonitorEventReader.Reading { MonitorEventReader.read(event) }
}

/// A remote event (`remoteEvent`): the progress of a command.
public struct RemoteEventContent: Sendable, Hashable {
    public var remoteActionId: String?
    /// `eventStatus.type` (`Pending`, `Done`).
    public var statusType: String?
    /// `eventStatus.status`.
    public var status: String?
    public var failureCause: String?

    init(_ event: JSONValue) {
        remoteActionId = event["remoteActionId"]?.stringValue
        let eventStatus = event["eventStatus"]
        statusType = eventStatus?["type"]?.stringValue
        status = eventStatus?["status"]?.stringValue
        failureCause = eventStatus?["failureCause"]?.stringValue
    }

    /// What a command's progress needs and the schema leaves optional.
    public var problem: MessageProblem? {
        if remoteActionId == nil { return MessageProblem("remoteEvent without remoteActionId") }
        if status == nil { return MessageProblem("remoteEvent without eventStatus.status") }
        return nil
    }
}
