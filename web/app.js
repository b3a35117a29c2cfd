// Starts the official Web Chat against this server's embedded Direct Line channel.
(function () {
  'use strict';
  var status = document.getElementById('chat-status');
  var MAX_MESSAGE_LENGTH = 4000;
  var params = new URLSearchParams(window.location.search);
  var gemeente = /^GM\d{4}$/.test(params.get('gemeente') || '') ? params.get('gemeente') : '';
  document.getElementById('gemeente').value = gemeente;

  // Tell the bot who joined (and the municipality, when the page knows it) as soon as the chat connects.
  var store = WebChat.createStore({}, function (api) {
    return function (next) {
      return function (action) {
        // The server takes at most 4,000 characters a message: the send box stops there, so
        // nothing a resident typed is refused without a word.
        if (action.type === 'WEB_CHAT/SET_SEND_BOX' && action.payload && typeof action.payload.text === 'string' && action.payload.text.length > MAX_MESSAGE_LENGTH) {
          action = Object.assign({}, action, { payload: Object.assign({}, action.payload, { text: action.payload.text.slice(0, MAX_MESSAGE_LENGTH) }) });
          status.textContent = 'Uw bericht is te lang. U kunt maximaal 4000 tekens sturen.';
        }
        if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
          api.dispatch({ type: 'WEB_CHAT/SEND_EVENT', payload: { name: 'webchat/join', value: gemeente ? { gemeente: gemeente } : {} } });
        }
        return next(action);
      };
    };
  });

  status.textContent = 'De chat wordt gestart…';
  fetch('/api/directline/token', { method: 'POST' })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(function (session) {
      WebChat.renderWebChat(
        {
          directLine: WebChat.createDirectLine({ token: session.token, domain: new URL('/v3/directline', window.location.href).toString() }),
          store: store,
          locale: 'nl-NL',
          styleOptions: {
            accent: '#00457c',
            bubbleTextColor: '#1a1a1a',
            bubbleFromUserBackground: '#00457c',
            bubbleFromUserTextColor: '#ffffff',
            bubbleBorderRadius: 8,
            bubbleFromUserBorderRadius: 8,
            primaryFont: '"Segoe UI", Arial, sans-serif',
            fontSizeSmall: '90%',
            hideUploadButton: true,
            sendBoxButtonColor: '#00457c',
            suggestedActionLayout: 'flow',
            suggestedActionBackgroundColor: '#ffffff',
            suggestedActionBorderColor: '#00457c',
            suggestedActionTextColor: '#00457c',
            timestampColor: '#4a4a4a',
          },
        },
        document.getElementById('chat'),
      );
      status.textContent = '';
    })
    .catch(function () {
      status.textContent = 'De chat kon niet starten. Probeer het later opnieuw of bel het Wmo-loket van uw gemeente.';
    });
})();
