// Free-form bodies (status payloads, extension data) are VehicleData's JSONValue;
// re-exported so that users of the models need not import VehicleData themselves.
@_exported import enum VehicleData.JSONValue
