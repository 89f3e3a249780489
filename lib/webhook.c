/*
 * webhook: one JSON POST to a configured URL, through libcurl.
 *
 * The URL comes from the configuration only, never from a request.
 * Redirects are not followed, only http and https are spoken, and the
 * reply is read up to WEBHOOK_MAX_REPLY bytes within the timeout.
 */
#include <string.h>

#include <curl/curl.h>

#include "log.h"
#include "webhook.h"

static int	webhook_ready;

static size_t
webhook_sink(char *p, size_t size, size_t n, void *ctx)
{
	struct buf	*b = ctx;

	n *= size;
	if (b->len + n > WEBHOOK_MAX_REPLY)
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	buf_add(b, p, n);
	return n;
}

/*
 * POST body (n bytes, application/json) to url within timeout seconds.
 * 0 with the reply in *out and its HTTP status in *status, or -1 when no
 * reply came (the reason is logged).
 */
int
webhook_post(const char *url, const char *body, size_t n, long timeout,
    struct buf *out, long *status)
{
	CURL			*c = NULL;
	struct curl_slist	*h = NULL;
	CURLcode		 e;
	int			 rc = -1;

	buf_reset(out);
	*status = 0;
	if (!webhook_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			log_error("webhook: libcurl initialisation failed");
			goto out;
		}
		webhook_ready = 1;
	}
	if ((c = curl_easy_init()) == NULL ||
	    (h = curl_slist_append(NULL, "Content-Type: application/json")) ==
	    NULL) {
		log_error("webhook: out of memory");
		goto out;
	}
	(void)curl_easy_setopt(c, CURLOPT_URL, url);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	(void)curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	(void)curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)n);
	(void)curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, webhook_sink);
	(void)curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	if ((e = curl_easy_perform(c)) != CURLE_OK) {
		log_warn("webhook: %s", curl_easy_strerror(e));
		buf_reset(out);
		goto out;
	}
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	rc = 0;
out:
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc;
}
