/// The version `vigie --version` prints.
///
/// A plain `swift build` prints `developmentVersion`. `scripts/release.sh` builds a copy of
/// the commit (`git archive HEAD`) into which it writes `ReleaseStamp.generated.swift`
/// beside this file (its constant guarded by `VIGIE_RELEASE`), with
/// `-Xswiftc -DVIGIE_RELEASE`: the archive's binary prints the `git describe` of that
/// commit. The work tree never holds the stamp, and no build of it needs one.
package enum VigieVersion {
    /// What a build that did not go through `scripts/release.sh` reports.
    package static let developmentVersion = "0.0.0-dev"

    /// The version of this binary.
    package static var current: String {
        #if VIGIE_RELEASE
        return releaseStamp
        #else
        return developmentVersion
        #endif
    }

    /// Whether this binary came from `scripts/release.sh`.
    package static var isRelease: Bool {
        #if VIGIE_RELEASE
        return true
        #else
        return false
        #endif
    }
}
