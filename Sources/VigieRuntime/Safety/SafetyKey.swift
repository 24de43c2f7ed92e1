import OutcomeStore

/// One rule of one bundle on one vehicle: what flapping and loops are counted for. The
/// same key as the store's `FiringKey` (ordered by VIN, bundle, rule; `VIN bundle/rule`).
package typealias SafetyKey = FiringKey
