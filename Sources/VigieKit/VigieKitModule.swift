/// Module VigieKit.
enum VigieKitModule {}
