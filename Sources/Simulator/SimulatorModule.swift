/// Module Simulator.
enum SimulatorModule {}
