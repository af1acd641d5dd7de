package dev.ms365mcp.tools.graph;

import com.microsoft.kiota.RequestOption;
import okhttp3.Interceptor;

/**
 * Carries a call's {@link Cancellation} on the request (Kiota turns request options into OkHttp
 * request tags), so the first interceptor can hand it the OkHttp call to cancel.
 */
record CancellationOption(Cancellation cancellation) implements RequestOption {

    static final Interceptor INTERCEPTOR = chain -> {
        CancellationOption option = chain.request().tag(CancellationOption.class);
        if (option != null) {
            option.cancellation().attach(chain.call());
        }
        return chain.proceed(chain.request());
    };

    @Override
    @SuppressWarnings("unchecked")
    public <T extends RequestOption> Class<T> getType() {
        return (Class<T>) CancellationOption.class;
    }
}
