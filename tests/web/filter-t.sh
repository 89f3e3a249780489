#!/bin/sh
# chatrest-web with the client API: presence from its authenticated
# requests shows in the statistics, and blocklists set here filter its
# archive reads, persisted across processes.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/web/common.sh"
. "$top_srcdir/tests/client/common.sh"

web_config
WEB=$top_builddir/cgi-bin/chatrest-web
CLIENT=$top_builddir/cgi-bin/chatrest-client
for u in alice bob carol; do register "$u"; done

web() {
	CGI_BIN=$WEB
	cgi "$@"
}
client() {	# USER cgi-arguments...
	CGI_BIN=$CLIENT
	as "$@"
}
bodies() {
	printf '%s' "$BODY" | grep -o '"body":"[^"]*"' | sed 's/"body":"//;s/"$//' |
	    tr '\n' ' ' | sed 's/ $//'
}

web GET /api/statistics
reply_is 200 '{
  "UserCount": 0,
  "Usernames": [],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}' 'nobody present yet'
client bob POST /api/messages '{"to":"alice@localhost","body":"from-bob"}'
client carol POST /api/messages '{"to":"alice@localhost","body":"from-carol"}'
web GET /api/statistics
reply_is 200 '{
  "UserCount": 2,
  "Usernames": [
    "bob",
    "carol"
  ],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}' 'client API requests make bob and carol present'

client alice GET /api/messages
is "$STATUS $(bodies)" '200 from-bob from-carol' 'alice reads both'
web POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"Bob\"]}"
reply_is 200 "$OK" 'blocklist alice: [Bob]'
client alice GET /api/messages
is "$STATUS $(bodies)" '200 from-carol' 'bob is filtered from alice'"'"'s archive'
client alice GET /api/messages/bob@localhost
is "$STATUS|$(bodies)" '200|' '... and from the conversation with him'
client bob GET /api/messages/alice@localhost
is "$STATUS $(bodies)" '200 from-bob' 'bob still sees his own message'

web POST /api/block/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\",\"carol\"]}"
reply_is 200 "$OK" 'block/now [alice, carol]'
client alice GET /api/messages
is "$STATUS|$(bodies)" '200|' 'now carol is filtered too'

# Room messages too.
client alice PUT /api/rooms/lobby '{"name":"lobby","subject":"s"}'
client alice POST /api/rooms/lobby/users '{"user":"bob@localhost"}'
client alice POST /api/rooms/lobby/users '{"user":"carol@localhost"}'
client bob POST /api/rooms/lobby/messages '{"body":"room-bob"}'
client carol POST /api/rooms/lobby/messages '{"body":"room-carol"}'
is "$STATUS" 200 'carol posts to the room'
web POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[\"bob\"]}"
client alice GET /api/rooms/lobby/messages
is "$STATUS $(bodies)" '200 room-carol' \
    'bob'"'"'s room message is filtered from alice'"'"'s room archive'
client carol GET /api/rooms/lobby/messages
is "$STATUS $(bodies)" '200 room-bob room-carol' 'carol still reads both'

web POST /api/blocklist "{\"APIKey\":\"$KEY\",\"Username\":\"alice\",\"Blocklist\":[]}"
reply_is 200 "$OK" 'an empty blocklist'
client alice GET /api/messages
is "$STATUS $(bodies)" '200 from-bob from-carol' 'unblocked: both again'

web POST /api/disconnect/now "{\"APIKey\":\"$KEY\",\"Usernames\":[\"alice\",\"bob\",\"carol\"]}"
reply_is 200 '{
  "OK": true,
  "Removed": 3
}' 'disconnect/now: all three were present'
web GET /api/statistics
reply_is 200 '{
  "UserCount": 0,
  "Usernames": [],
  "Cameras": {
    "Blue": 0,
    "Red": 0
  }
}' 'and are gone from the statistics'
done_testing
