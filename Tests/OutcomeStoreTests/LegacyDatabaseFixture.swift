import Foundation

/// `sqlite3 .dump` of a database made by `vigie dry-run --db` and `vigie pause` with the
/// code of 2026-12-07 (before the migrations were gathered in one list), plus one inbox
/// row: the schema every existing deployment has, and data in each part of it.
enum LegacyDatabaseFixture {
    static let sql = #"""
        PRAGMA foreign_keys=OFF;
        BEGIN TRANSACTION;
        CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
        INSERT INTO grdb_migrations VALUES('v1-decisions');
        INSERT INTO grdb_migrations VALUES('v1-engine-state');
        INSERT INTO grdb_migrations VALUES('v1-intake');
        INSERT INTO grdb_migrations VALUES('v1-outbox');
        INSERT INTO grdb_migrations VALUES('dispatch-v1-remote-events');
        INSERT INTO grdb_migrations VALUES('control-v1');
        INSERT INTO grdb_migrations VALUES('v2-inbox-unprocessed-by-id');
        CREATE TABLE IF NOT EXISTS "firing" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "at" DATETIME NOT NULL, "vin" TEXT NOT NULL, "bundle" TEXT NOT NULL, "rule" TEXT NOT NULL, "event" TEXT NOT NULL CHECK (event IN ('fired', 'suppressed')), "reason" TEXT, "actions" TEXT NOT NULL, "inboxId" INTEGER, "recordedAt" DATETIME NOT NULL);
        INSERT INTO firing VALUES(1,'2026-03-02 08:00:00.000','V1','fixture','failing','fired',NULL,'[{"notify":"V1 charging Failure"}]',NULL,'2026-12-07 01:26:58.932');
        INSERT INTO firing VALUES(2,'2026-03-02 08:10:00.000','V1','fixture','failing','fired',NULL,'[{"notify":"V1 charging Failure"}]',NULL,'2026-12-07 01:26:58.936');
        INSERT INTO firing VALUES(3,'2026-03-02 08:20:00.000','V1','fixture','failing','fired',NULL,'[{"notify":"V1 charging Failure"}]',NULL,'2026-12-07 01:26:58.936');
        INSERT INTO firing VALUES(4,'2026-03-02 08:30:00.000','V1','fixture','failing','suppressed','cooldown','[]',NULL,'2026-12-07 01:26:58.937');
        INSERT INTO firing VALUES(5,'2026-03-02 08:40:00.000','V1','fixture','failing','fired',NULL,'[{"notify":"V1 charging Failure"}]',NULL,'2026-12-07 01:26:58.938');
        INSERT INTO firing VALUES(6,'2026-03-02 09:00:00.000','V1','fixture','failing','suppressed','cooldown','[]',NULL,'2026-12-07 01:26:58.939');
        CREATE TABLE IF NOT EXISTS "action" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "firingId" INTEGER NOT NULL REFERENCES "firing"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL, "kind" TEXT NOT NULL CHECK (kind IN ('remote', 'notify')), "vin" TEXT NOT NULL, "payload" TEXT NOT NULL, "status" TEXT NOT NULL, "attempts" INTEGER NOT NULL DEFAULT 0, "remoteActionId" TEXT, "failureCause" TEXT, "createdAt" DATETIME NOT NULL, "updatedAt" DATETIME NOT NULL, "sentAt" DATETIME, "doneAt" DATETIME, UNIQUE ("firingId", "position"));
        INSERT INTO "action" VALUES(1,1,0,'notify','V1','V1 charging Failure','notified',0,NULL,NULL,'2026-12-07 01:26:58.932','2026-12-07 01:26:58.932',NULL,NULL);
        INSERT INTO "action" VALUES(2,2,0,'notify','V1','V1 charging Failure','notified',0,NULL,NULL,'2026-12-07 01:26:58.936','2026-12-07 01:26:58.936',NULL,NULL);
        INSERT INTO "action" VALUES(3,3,0,'notify','V1','V1 charging Failure','notified',0,NULL,NULL,'2026-12-07 01:26:58.936','2026-12-07 01:26:58.936',NULL,NULL);
        INSERT INTO "action" VALUES(4,5,0,'notify','V1','V1 charging Failure','notified',0,NULL,NULL,'2026-12-07 01:26:58.938','2026-12-07 01:26:58.938',NULL,NULL);
        CREATE TABLE IF NOT EXISTS "actionAttempt" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "actionId" INTEGER NOT NULL REFERENCES "action"("id") ON DELETE CASCADE, "attempt" INTEGER NOT NULL, "startedAt" DATETIME NOT NULL, "finishedAt" DATETIME, "remoteActionId" TEXT, "httpStatus" INTEGER, "outcome" TEXT NOT NULL, "failureCause" TEXT, "detail" TEXT, UNIQUE ("actionId", "attempt"));
        CREATE TABLE IF NOT EXISTS "engineState" ("scope" TEXT NOT NULL, "vin" TEXT NOT NULL, "state" BLOB NOT NULL, "updatedAt" DATETIME NOT NULL, PRIMARY KEY ("scope", "vin"));
        INSERT INTO engineState VALUES('dry-run','V1',X'7b226669656c6473223a5b7b226174223a313737323434323030303030302c226669656c64223a226368617267696e672e737461747573222c2276616c7565223a224661696c757265227d5d2c2272756c6573223a5b7b2262756e646c65223a2266697874757265222c226669726564546f646179223a302c226c61737446697265644174223a313737323434303830303030302c226e6578745265706561744174223a313737323434323630303030302c227068617365223a226c617463686564222c2272756c65223a226661696c696e67222c2272756e6e696e67223a307d5d2c2276696e223a225631227d','2026-12-07 01:26:58.939');
        CREATE TABLE IF NOT EXISTS "engineCheckpoint" ("scope" TEXT PRIMARY KEY NOT NULL, "position" INTEGER NOT NULL, "at" DATETIME, "state" BLOB, "updatedAt" DATETIME NOT NULL);
        INSERT INTO engineCheckpoint VALUES('dry-run',5,'2026-03-02 09:00:00.000',X'7b226e6f77223a313737323434323030303030302c2276656869636c6573223a5b225631225d2c2276657273696f6e223a317d','2026-12-07 01:26:58.939');
        CREATE TABLE IF NOT EXISTS "inbox" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "receivedAt" DATETIME NOT NULL, "dedupKey" TEXT NOT NULL UNIQUE, "vin" TEXT, "type" TEXT, "eventDate" TEXT, "body" TEXT NOT NULL, "processed" BOOLEAN NOT NULL DEFAULT 0, "processedAt" DATETIME);
        INSERT INTO inbox VALUES(1,'2026-03-02 22:00:00.000','k1','VF3OLD','Status','2026-03-02T22:00:00Z','{}',0,NULL);
        CREATE TABLE IF NOT EXISTS "deadLetter" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "receivedAt" DATETIME NOT NULL, "source" TEXT NOT NULL, "body" TEXT NOT NULL, "error" TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS "outbox" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "actionId" INTEGER NOT NULL UNIQUE REFERENCES "action"("id") ON DELETE CASCADE, "vin" TEXT NOT NULL, "body" TEXT NOT NULL, "status" TEXT NOT NULL CHECK (status IN ('queued', 'inFlight', 'done')), "notBefore" DATETIME, "createdAt" DATETIME NOT NULL, "updatedAt" DATETIME NOT NULL);
        CREATE TABLE IF NOT EXISTS "remoteEvent" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "remoteActionId" TEXT NOT NULL, "type" TEXT NOT NULL, "status" TEXT NOT NULL, "failureCause" TEXT, "eventDate" TEXT, "inboxId" INTEGER, "receivedAt" DATETIME NOT NULL, "appliedAt" DATETIME);
        CREATE TABLE IF NOT EXISTS "controlHold" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "kind" TEXT NOT NULL CHECK (kind IN ('pause', 'config', 'loop')), "vin" TEXT, "bundle" TEXT, "rule" TEXT, "reason" TEXT, "createdAt" DATETIME NOT NULL, "resumedAt" DATETIME);
        INSERT INTO controlHold VALUES(1,'pause','VF3OLD',NULL,NULL,'fixture','2026-12-07 01:26:58.965',NULL);
        CREATE TABLE IF NOT EXISTS "controlEvent" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "at" DATETIME NOT NULL, "kind" TEXT NOT NULL, "vin" TEXT, "bundle" TEXT, "rule" TEXT, "holdId" INTEGER, "detail" TEXT);
        INSERT INTO controlEvent VALUES(1,'2026-12-07 01:26:58.965','paused','VF3OLD',NULL,NULL,1,'fixture');
        CREATE TABLE IF NOT EXISTS "controlVersion" ("id" INTEGER PRIMARY KEY CHECK (id = 1), "version" INTEGER NOT NULL);
        INSERT INTO controlVersion VALUES(1,1);
        DELETE FROM sqlite_sequence;
        INSERT INTO sqlite_sequence VALUES('firing',6);
        INSERT INTO sqlite_sequence VALUES('action',4);
        INSERT INTO sqlite_sequence VALUES('controlHold',1);
        INSERT INTO sqlite_sequence VALUES('controlEvent',1);
        INSERT INTO sqlite_sequence VALUES('inbox',1);
        CREATE INDEX "firing_on_at" ON "firing"("at");
        CREATE INDEX "firing_on_vin_at" ON "firing"("vin", "at");
        CREATE INDEX "firing_on_rule_at" ON "firing"("rule", "at");
        CREATE INDEX "action_on_firingId" ON "action"("firingId");
        CREATE INDEX "action_on_remoteActionId" ON "action"("remoteActionId");
        CREATE INDEX "actionAttempt_on_actionId" ON "actionAttempt"("actionId");
        CREATE INDEX "outbox_on_vin_status" ON "outbox"("vin", "status", "id");
        CREATE INDEX "remoteEvent_on_remoteActionId" ON "remoteEvent"("remoteActionId", "id");
        CREATE INDEX controlHold_active ON controlHold(kind, vin) WHERE resumedAt IS NULL;
        CREATE INDEX "controlEvent_on_at" ON "controlEvent"("at");
        CREATE INDEX "controlEvent_on_kind_rule" ON "controlEvent"("kind", "vin", "bundle", "rule");
        CREATE TRIGGER controlHold_after_insert AFTER INSERT ON controlHold
        BEGIN UPDATE controlVersion SET version = version + 1 WHERE id = 1; END;
        CREATE TRIGGER controlHold_after_update AFTER UPDATE ON controlHold
        BEGIN UPDATE controlVersion SET version = version + 1 WHERE id = 1; END;
        CREATE TRIGGER controlHold_after_delete AFTER DELETE ON controlHold
        BEGIN UPDATE controlVersion SET version = version + 1 WHERE id = 1; END;
        CREATE INDEX inbox_unprocessed_id ON inbox(id) WHERE processed = 0;
        COMMIT;
        """#
}
