import VehicleData

/// A batch whose values are laid out flat (one buffer of field values for the whole
/// batch, each observation a slice of it): what a replay reader produces.
public typealias FlatBatchObservation = DatedBatchObservation<UnsafeBufferPointer<(FieldID, FieldValue)>>

extension RuleEngine {
    /// `observe(batch:)` for one concrete batch type, compiled in this module: a caller
    /// in another module (the streaming replay) reaches the generic batch code only
    /// unspecialised (each element through witness tables, values boxed), several times
    /// slower. Same observations, same decisions.
    public func observe(flatBatch batch: [FlatBatchObservation]) {
        observe(batch: batch[...])
    }
}
