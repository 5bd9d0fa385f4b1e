# validation
error-required = This field is required.
error-too-long = At most { $max } characters.
error-control-chars = Control characters are not allowed.
error-username-email = A username cannot look like an e-mail address.
error-username-format = Use { $min }–{ $max } characters: Latin letters, digits, "_" or "-".
error-username-taken = This username is taken.
error-email-invalid = Enter a valid e-mail address.
error-email-taken = An account with this e-mail already exists.
error-password-too-short = Use at least { $min } characters.
error-password-too-long = Use at most { $max } characters.
error-password-common = This password is too common. Choose one that is harder to guess.
error-password-like-name = The password is too similar to your username or e-mail.
error-password-mismatch = The passwords do not match.
error-login-failed = Invalid username, e-mail or password.
error-account-suspended = This account is suspended until { $until }. Reason: { $reason }
error-current-password = The current password is wrong.
error-website-invalid = Enter a full http:// or https:// address.
error-birthday-range = Enter a date between { $min } and { $max }.
error-avatar-too-large = The image is larger than { $max } KB.
error-avatar-format = Upload a PNG, JPEG or WebP image.
error-avatar-pixels = The picture is too large: at most { $megapixels } megapixels (for example 4000×4000).

# flash messages
flash-logged-in = Welcome back!
flash-welcome = Welcome to NightCoder! Your account is ready.
flash-logged-out = You have been logged out.
flash-reset-sent = If an account uses that address, we have sent it a link to reset the password.
flash-password-reset = Your password has been changed. Log in with the new one.
flash-profile-saved = Your profile has been saved.
flash-password-changed = Your password has been changed. Your other sessions have been logged out.
flash-registered-confirm = Almost done: we have sent a confirmation link to your e-mail address. Open it, then log in. (If the address already has an account, its owner got a message instead.)
flash-email-confirmed = Your e-mail address is confirmed. Welcome to NightCoder!
flash-confirmation-sent = We have sent a new confirmation link to your e-mail address.
confirm-title = Confirm your e-mail address
confirm-invalid = This confirmation link is invalid, already used or expired. Links work once, for { $hours } hours.
confirm-resend-where = Send a new link from your settings
confirm-banner = Your e-mail address is not confirmed yet, so you cannot post, vote, comment or flag. Open the link we sent you.
confirm-resend = Send the link again

# login and registration
login-title = Log in
field-login = Username or e-mail
field-password = Password
login-submit = Log in
login-forgot = Forgot your password?
login-no-account = No account yet? Sign up
register-title = Create an account
field-username = Username
help-username = 3–32 characters: Latin letters, digits, "_" or "-".
field-email = E-mail
help-password = { $min }–{ $max } characters. Long passphrases are welcome.
field-password-confirm = Repeat the password
register-submit = Sign up
register-have-account = Already have an account?

# password reset
forgot-title = Reset your password
forgot-lead = Enter the e-mail address of your account and we will send you a link to choose a new password.
forgot-submit = Send the link
reset-title = Choose a new password
field-new-password = New password
reset-submit = Change the password
reset-invalid = This link is invalid, already used or expired. Links work once, for one hour.
reset-request-new = Request a new link
email-reset-subject = Reset your NightCoder password
email-reset-body = Hello { $username },

    someone (hopefully you) asked to reset the password of your NightCoder account.
    Open this link to choose a new password:

    { $link }

    The link works once and expires in { $minutes } minutes. If you did not ask for it, ignore this e-mail: your password stays the same.
email-confirm-subject = Confirm your NightCoder e-mail address
email-confirm-body = Hello { $username },

    welcome to NightCoder! Open this link to confirm your e-mail address:

    { $link }

    The link works once, for { $hours } hours. Until then you can read and edit your profile, but not post, vote, comment or flag. If you did not create this account, ignore this e-mail.
email-taken-subject = Someone tried to register with your address
email-taken-body = Hello { $username },

    someone (perhaps you) tried to create a new NightCoder account with this e-mail address. It already belongs to your account, so no new account was made.

    If it was you, log in here: { $login }
    If you forgot your password, choose a new one here: { $reset }

    If it was not you, you can ignore this e-mail.

# profile and settings
profile-reputation = reputation
profile-member-since = Member since { $date }
profile-birthday = Birthday: { $date }
profile-edit = Edit profile
profile-about = About
profile-no-bio = This user has not written anything about themselves yet.
settings-title = Settings
settings-profile = Profile
settings-password = Password
settings-view-profile = View profile
field-avatar = Avatar
help-avatar = PNG, JPEG or WebP, up to 1 MB. It is resized to 256×256.
field-remove-avatar = Remove the current avatar
field-bio = About you
field-website = Website
help-website = A full address starting with https://
field-birthday = Birthday
settings-password-lead = Changing your password logs out all your other sessions.
field-current-password = Current password
settings-password-submit = Change the password
profile-accepted = Accepted answers
profile-latest-questions = Latest questions
profile-latest-answers = Latest answers
profile-no-questions = No questions yet.
profile-no-answers = No answers yet.
