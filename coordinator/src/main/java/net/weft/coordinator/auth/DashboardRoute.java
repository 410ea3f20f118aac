package net.weft.coordinator.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The admin route also takes the dashboard's session cookie ({@link Sessions#COOKIE}) in place of the
 * {@code Authorization} header. A call through the cookie that is not a {@code GET} must carry
 * {@link Sessions#CSRF_HEADER}{@code : dashboard}: a page of another site cannot set that header without a CORS
 * preflight, which the coordinator never grants, and the cookie is {@code SameSite=Strict} besides.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DashboardRoute {
}
