/// The version `vigie --version` prints.
///
/// A plain `swift build` prints `developmentVersion`. `scripts/release.sh` writes the
/// git-ignored `ReleaseStamp.generated.swift` beside this file (its constant guarded by
/// `VIGIE_RELEASE`) and builds with `-Xswiftc -DVIGIE_RELEASE`, so the archive's binary
/// prints the `git describe` of the commit it was built from. Neither build needs the
/// other's file: a plain build compiles the stamp to nothing, whether or not it exists.
public enum VigieVersion {
    /// What a build that did not go through `scripts/release.sh` reports.
    public static let developmentVersion = "0.0.0-dev"

    /// The version of this binary.
    public static var current: String {
        #if VIGIE_RELEASE
        return releaseStamp
        #else
        return developmentVersion
        #endif
    }

    /// Whether this binary came from `scripts/release.sh`.
    public static var isRelease: Bool {
        #if VIGIE_RELEASE
        return true
        #else
        return false
        #endif
    }
}
