package net.weft.coordinator.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The route's credential is in the request body, checked behind the route: a join token for the join, the admin
 * credential for the dashboard's login. A call without a body is refused here with the uniform 401.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TokenRoute {
}
