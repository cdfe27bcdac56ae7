/**
 * The event-bus contract between verticles and nodes. Each store is one {@link org.geohazard.bus.BusService}
 * interface ({@link org.geohazard.bus.ImageService}, {@link org.geohazard.bus.AlertService}, ...): every method is
 * an address {@code <service>.<method>}, served by an implementation and called through a proxy
 * ({@link org.geohazard.bus.ServiceBus}), so adding an operation is adding a method. Arguments, results and
 * broadcasts travel in an {@link org.geohazard.bus.Envelope}: as themselves inside a node, as JSON written from the
 * records' components ({@link org.geohazard.bus.RecordJson}) with one payload version between nodes. Inference and
 * model changes keep their typed {@link org.geohazard.bus.Addresses}. One failure type,
 * {@link org.geohazard.bus.Failure} (a code, a message, details), travels from where work fails to the API, which
 * alone knows HTTP.
 */
package org.geohazard.bus;
