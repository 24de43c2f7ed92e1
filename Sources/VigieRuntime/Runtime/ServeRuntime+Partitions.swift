import Foundation
import Logging
import PostgresStore

extension ServeRuntime {
    /// A name unique among the instances: host, pid and a random suffix.
    static func makeInstanceName() -> String {
        let info = ProcessInfo.processInfo
        return "\(info.hostName)-\(info.processIdentifier)-\(String(UInt32.random(in: 0 ... .max), radix: 36))"
    }

    /// On PostgreSQL: the partitions' keeper for this process (`instanceName`) and the
    /// service running the engines of the partitions it holds (docs/cluster.md).
    func partitionService(_ postgres: PostgresStore, handoff: EngineHandoff, dispatch: DispatchWake,
                          reporter: RuntimeReporter) -> PartitionService {
        let owner = instanceName
        let keeper = PartitionKeeper(store: leases ?? postgres, owner: owner, count: postgres.partitions,
                                     duration: settings.partitions.lease, logger: logger)
        logger.info("sharing partitions", metadata: [
            "instance": "\(owner)", "partitions": "\(postgres.partitions)", "leaseSeconds": "\(settings.partitions.lease)",
        ])
        let (store, bundles, inventory, decisionGuard, clock) = (self.store, self.bundles, self.inventory,
                                                                 self.decisionGuard, self.clock)
        return PartitionService(keeper: keeper, settings: settings, handoff: handoff, dispatch: dispatch, clock: clock,
                                logger: logger) { settings, handoff in
            try await EngineService(settings: settings, store: store, bundles: bundles, inventory: inventory,
                                    decisionGuard: decisionGuard, clock: clock, reporter: reporter, handoff: handoff,
                                    commandsQueued: dispatch)
        }
    }
}
