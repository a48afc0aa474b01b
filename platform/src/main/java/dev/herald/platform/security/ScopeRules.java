package dev.herald.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthenticatedReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorityReactiveAuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.condition.PatternsRequestCondition;
import org.springframework.web.reactive.result.condition.RequestMethodsRequestCondition;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Checks the scope an endpoint's {@code @PreAuthorize("hasAuthority('SCOPE_…')")} names in the security filter
 * chain, before anything reads the request body: method security alone runs once the arguments are bound, so a
 * token without the scope got the body's {@code 400} or {@code 415} rather than {@code 403}, after the work of
 * reading it. A request is matched to endpoints by path pattern and method alone (a body of another type still
 * gets its {@code 403}), and the endpoint with the most specific pattern decides, as in the handler mapping; one
 * that matches no endpoint, or one whose {@code @PreAuthorize} is no plain {@code hasAuthority}, needs an
 * authenticated token, as before. Method security stays, and decides whatever these rules cannot read.
 */
final class ScopeRules implements ReactiveAuthorizationManager<AuthorizationContext> {

    private static final Pattern HAS_AUTHORITY = Pattern.compile("^\\s*hasAuthority\\('([^']+)'\\)\\s*$");

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;
    private final ReactiveAuthorizationManager<AuthorizationContext> authenticated =
            AuthenticatedReactiveAuthorizationManager.authenticated();
    private volatile List<Rule> rules;

    ScopeRules(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    /**
     * A handler method's path patterns and methods, and the authority its {@code @PreAuthorize} names ({@code
     * null}: none that these rules can read, so an authenticated token will do here).
     */
    private record Rule(
            PatternsRequestCondition patterns,
            RequestMethodsRequestCondition methods,
            String authority,
            ReactiveAuthorizationManager<AuthorizationContext> check) {}

    /** A rule that matched a request, with the patterns that matched it (to tell the most specific). */
    private record Match(Rule rule, PatternsRequestCondition patterns) {}

    @Override
    public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
        ServerWebExchange exchange = context.getExchange();
        // the handler Spring will pick has the most specific pattern: /users/me before /users/{id}
        List<Match> best = new ArrayList<>(1);
        for (Rule rule : rules()) {
            PatternsRequestCondition patterns = rule.patterns().getMatchingCondition(exchange);
            if (patterns == null || rule.methods().getMatchingCondition(exchange) == null) {
                continue;
            }
            int order = best.isEmpty() ? -1 : patterns.compareTo(best.getFirst().patterns(), exchange);
            if (order < 0) {
                best.clear();
            }
            if (order <= 0) {
                best.add(new Match(rule, patterns));
            }
        }
        if (best.isEmpty() || best.stream().anyMatch(match -> match.rule().authority() == null)) {
            return authenticated.authorize(authentication, context);
        }
        if (best.size() == 1) {
            return best.getFirst().rule().check().authorize(authentication, context);
        }
        // handlers of one path and method told apart by what they consume: any of their scopes lets the request
        // reach its own, whose method security decides
        return AuthorityReactiveAuthorizationManager.<AuthorizationContext>hasAnyAuthority(best.stream()
                        .map(match -> match.rule().authority())
                        .distinct()
                        .toArray(String[]::new))
                .authorize(authentication, context);
    }

    /** Read from the handler mappings once they are there: on the first request. */
    private List<Rule> rules() {
        List<Rule> known = rules;
        if (known == null) {
            List<Rule> found = new ArrayList<>();
            mappings.orderedStream()
                    .forEach(mapping -> mapping.getHandlerMethods().forEach((info, method) -> {
                        String authority = authority(method);
                        found.add(new Rule(
                                info.getPatternsCondition(),
                                info.getMethodsCondition(),
                                authority,
                                authority == null
                                        ? null
                                        : AuthorityReactiveAuthorizationManager.hasAuthority(authority)));
                    }));
            known = List.copyOf(found);
            rules = known;
        }
        return known;
    }

    /** The authority a handler's {@code @PreAuthorize} needs, when it is a plain {@code hasAuthority}. */
    static String authority(HandlerMethod method) {
        PreAuthorize annotation = method.getMethodAnnotation(PreAuthorize.class);
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), PreAuthorize.class);
        }
        if (annotation == null) {
            return null;
        }
        Matcher authority = HAS_AUTHORITY.matcher(annotation.value());
        return authority.matches() ? authority.group(1) : null;
    }
}
