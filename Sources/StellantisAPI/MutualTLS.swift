import AsyncHTTPClient
import Foundation
import NIOSSL

extension MutualTLSFiles {
    /// The NIOSSL client configuration presenting this certificate and key.
    func tlsConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
            guard !chain.isEmpty else {
                throw StellantisAPIError.configuration("no certificate in \(certificatePath)")
            }
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyPath, format: .pem))
            if let trustRootsPath {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustRootsPath))
            }
        } catch let error as StellantisAPIError {
            throw error
        } catch {
            // NIOSSL errors name the file at most; never echo key material.
            throw StellantisAPIError.configuration("cannot load the client certificate or key "
                + "(\(certificatePath), \(privateKeyPath)): \(type(of: error))")
        }
        return tls
    }
}
