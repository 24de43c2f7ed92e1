/// Module VigieTestSupport.
enum VigieTestSupportModule {}
