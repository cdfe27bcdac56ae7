package org.geohazard.bus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose methods are served over the event bus ({@link ServiceBus}): method {@code m} of a
 * service at {@code persistence.images} answers at {@code persistence.images.m}. Every method returns a Vert.x
 * {@code Future}; its parameters and result are values {@link RecordJson} carries (records, enums, lists...).
 * Adding an operation is adding a method.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BusService {

  /** The address prefix, {@code <area>.<service>}. */
  String value();

  /** Node-local work (pixels, the node's own sessions): never sent to another node. */
  boolean local() default false;
}
