;;; immuno-ls.el --- Eglot set-up for the immuno-ls language server  -*- lexical-binding: t; -*-

;; Usage (Emacs 28 with the eglot package, or Emacs 29+ where eglot is built in):
;;
;;   (add-to-list 'load-path "/path/to/immuno-ls/editors/emacs")
;;   (require 'immuno-ls)
;;   (immuno-ls-setup)            ; or (immuno-ls-setup '(:rules (:outdated-status "warning")))
;;
;; Markdown buffers are sent as "markdown", other text-mode buffers as "plaintext"; Eglot starts
;; on both (`eglot-ensure' in `text-mode-hook', which markdown-mode runs too).

;;; Code:

(require 'eglot)

(defgroup immuno-ls nil
  "The immuno-ls language server for immunology notes."
  :group 'eglot)

(defcustom immuno-ls-program '("immuno-ls" "--stdio")
  "The command that runs the server: the program and its arguments."
  :type '(repeat string))

(defcustom immuno-ls-settings nil
  "The server's `immunoLs' settings as a plist, for example
\(:rules (:outdated-status \"warning\") :vocabulary [\"team/terms.toml\"])."
  :type 'sexp)

(defconst immuno-ls--empty-object (make-hash-table :size 1)
  "An empty JSON object (a nil plist would be sent as null).")

(defun immuno-ls--contact (&optional _interactive)
  "The Eglot contact: `immuno-ls-program' with the settings as initializationOptions."
  (append immuno-ls-program
          (list :initializationOptions
                (list :immunoLs (or immuno-ls-settings immuno-ls--empty-object)))))

(defvar immuno-ls--user-configuration nil
  "The default `eglot-workspace-configuration' before `immuno-ls-setup'.")

(defun immuno-ls--workspace-configuration (server)
  "The `immunoLs' section for SERVER, after any other configuration the user set."
  (let ((other (if (functionp immuno-ls--user-configuration)
                   (funcall immuno-ls--user-configuration server)
                 immuno-ls--user-configuration)))
    (append (list :immunoLs (or immuno-ls-settings immuno-ls--empty-object))
            (cl-loop for (k v) on other by #'cddr
                     unless (memq k '(:immunoLs immunoLs))
                     append (list k v)))))

;;;###autoload
(defun immuno-ls-setup (&optional settings)
  "Start immuno-ls in Markdown and text buffers, with SETTINGS (a plist) if given."
  (when settings
    (setq immuno-ls-settings settings))
  ;; Later entries are found first: markdown-mode derives from text-mode.
  (add-to-list 'eglot-server-programs
               '(((text-mode :language-id "plaintext")) . immuno-ls--contact))
  (add-to-list 'eglot-server-programs
               '(((markdown-mode :language-id "markdown") (gfm-mode :language-id "markdown"))
                 . immuno-ls--contact))
  (unless (eq (default-value 'eglot-workspace-configuration)
              #'immuno-ls--workspace-configuration)
    (setq immuno-ls--user-configuration (default-value 'eglot-workspace-configuration))
    (setq-default eglot-workspace-configuration #'immuno-ls--workspace-configuration))
  (add-hook 'text-mode-hook #'eglot-ensure))

(provide 'immuno-ls)
;;; immuno-ls.el ends here
