error-400-title = Bad request
error-400-message = The request could not be understood. Go back and check what you sent.
error-403-title = Access denied
error-403-message = You are not allowed to do that.
error-csrf-message = This form has expired or was sent from another site. Go back, reload the page and try again.
error-unconfirmed-message = Please confirm your e-mail address first: open the link we sent you. You can send it again from your settings.
error-404-title = Page not found
error-404-message = There is nothing here. It may have been moved or deleted.
error-405-title = Method not allowed
error-405-message = This address does not accept that kind of request.
error-408-title = Request timed out
error-408-message = The server took too long to answer. Please try again.
error-413-title = Too large
error-413-message = What you sent is larger than this site accepts.
error-422-title = Invalid form
error-422-message = The form contained fields or values that could not be read. Go back and check your input.
error-429-title = Slow down
error-429-message = Too many requests in a short time. Wait a moment and try again.
error-429-wait = Too many attempts in a short time. Please try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
error-429-wait-hours = You have reached the limit for now. Please try again in { $hours ->
    [one] one hour
   *[other] { $hours } hours
}.
error-500-title = Something went wrong
error-500-message = An unexpected error happened on our side. It has been logged; please try again later.
error-503-title = Temporarily unavailable
error-503-message = The forum cannot reach its database right now. Please try again in a moment.
error-request-id = Request id: { $id }
