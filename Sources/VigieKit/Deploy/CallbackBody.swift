import Foundation
import StellantisModels
import VigieRuntime

/// The callback Vigie deploys: a webhook to `callback.public_url` + `/webhook/<secret>`
/// for monitor and remote notifications. B2C adds the body attribute `vin = $vin` (how
/// the receiver learns the vehicle of a batched message) and `batch {enabled, size: 100}`;
/// B2B posts a `RemoteCallbackSubscribe` (api-b2b.yaml): `remoteTypes` — required — lists
/// every type a rule action can send, `retryPolicy` is `Bounded` (the remote callback's
/// schema allows only `None` and `Bounded`) with 10 tries a minute apart, and
/// `batchNotify {size: 100, timeWindow: 5}`.
enum CallbackBody {
    static let batchSize = 100
    /// The remote types of the rule language's actions (charge, precondition, doors, horn,
    /// lights, wake_up, navigate).
    static let remoteTypes: [RemoteType] = [
        .electricBatteryChargingRequest, .thermalPreconditioning, .doors, .horn, .lights, .wakeUp, .navigation,
    ]

    static func make(_ config: VigieConfig) -> CallbackSubscribe {
        let target = config.callback.webhookTarget()
        switch config.api.kind {
        case .b2c:
            let webhook = Webhook(target: target, name: config.callback.label,
                                  batch: config.callback.batch ? Webhook.Batch(enabled: true, size: batchSize) : nil,
                                  attributes: [CallbackAttribute(type: .body, key: "vin", value: "$vin")])
            return CallbackSubscribe(label: config.callback.label, type: [.known(.monitor), .known(.remote)],
                                     callback: CallbackTarget(webhook: webhook))
        case .b2b:
            let batch: JSONValue? = config.callback.batch
                ? .object(["size": .number(Double(batchSize)), "timeWindow": .number(5)]) : nil
            return CallbackSubscribe(label: config.callback.label, callback: CallbackTarget(webhook: Webhook(target: target,
                                     name: config.callback.label)),
                                     retryPolicy: CallbackSubscribe.RetryPolicy(policy: "Bounded", retryNumber: 10,
                                                                                retryDelay: 60),
                                     remoteTypes: remoteTypes.map { .known($0) }, batchNotify: batch)
        }
    }

    /// Whether a deployed callback already sends where and how `wanted` says (target,
    /// batching, attributes), so that no update is needed.
    static func matches(_ deployed: CallbackSubscribe, _ wanted: CallbackSubscribe) -> Bool {
        guard let have = deployed.callback.webhook, let want = wanted.callback.webhook else { return false }
        let haveBatch = (have.batch?.enabled ?? false) || deployed.batchNotify != nil
        let wantBatch = (want.batch?.enabled ?? false) || wanted.batchNotify != nil
        let attributes: (Webhook) -> Set<String> = { w in
            Set((w.attributes ?? []).map { "\($0.type.rawValue)|\($0.key)|\($0.value)" })
        }
        return have.target == want.target && haveBatch == wantBatch && attributes(have) == attributes(want)
    }
}
