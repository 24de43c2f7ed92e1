/// The PostgreSQL server could not be connected to (`PostgresStore.connectOnce`): the
/// reason in a few words, without the password.
package struct PostgresConnectError: Error, Equatable, CustomStringConvertible {
    package var reason: String

    package init(reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
